//! A minimal Lambda Invoke client: `POST {endpoint}/2015-03-31/functions/NAME/invocations`
//! over HTTP/1.1 on tokio (one connection per call), as `sam local
//! start-lambda` and other Lambda-Invoke-compatible endpoints serve it.

use stampede::Failure;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The most bytes of a Lambda response read (Lambda's own payload limit is 6 MB).
const MAX_RESPONSE: usize = 6 << 20;
/// How long one invocation may take before it fails with `Lambda.ServiceException`
/// (Lambda's own limit is 15 minutes).
const TIMEOUT: Duration = Duration::from_secs(900);

/// Where to send invocations: `http://host:port` (an optional path prefix is kept).
#[derive(Debug, Clone)]
pub(crate) struct Endpoint {
    host: String,
    port: u16,
    base: String,
}

impl Endpoint {
    /// Reads `http://host[:port][/prefix]`.
    ///
    /// # Errors
    /// Anything but an `http://` URL with a host (https is not supported).
    pub(crate) fn parse(url: &str) -> Result<Endpoint, String> {
        let rest = url
            .strip_prefix("http://")
            .ok_or_else(|| format!("the Lambda endpoint {url:?} must start with http://"))?;
        let (authority, path) = rest.split_once('/').map_or((rest, ""), |(a, p)| (a, p));
        let (host, port) = match authority.rsplit_once(':') {
            Some((h, p)) => (
                h,
                p.parse::<u16>()
                    .map_err(|_| format!("the Lambda endpoint {url:?} has a bad port"))?,
            ),
            None => (authority, 80),
        };
        if host.is_empty() {
            return Err(format!("the Lambda endpoint {url:?} has no host"));
        }
        let base = path.trim_end_matches('/');
        Ok(Endpoint {
            host: host.to_owned(),
            port,
            base: if base.is_empty() {
                String::new()
            } else {
                format!("/{base}")
            },
        })
    }

    /// Invokes function `name` with `payload` (JSON text); the function's
    /// response as JSON, or its error as an ASL failure.
    ///
    /// # Errors
    /// The function's error (`errorType`, with the response as cause), an
    /// HTTP error (`Lambda.<x-amzn-ErrorType>` or `Lambda.ServiceException`),
    /// or a connection problem (`Lambda.ServiceException`).
    pub(crate) async fn invoke(
        &self,
        name: &str,
        payload: &str,
    ) -> Result<serde_json::Value, Failure> {
        match tokio::time::timeout(TIMEOUT, self.exchange(name, payload)).await {
            Ok(r) => r,
            Err(_) => Err(Failure::new(
                "Lambda.ServiceException",
                format!(
                    "the Lambda endpoint did not answer in {} s",
                    TIMEOUT.as_secs()
                ),
            )),
        }
    }

    async fn exchange(&self, name: &str, payload: &str) -> Result<serde_json::Value, Failure> {
        let fail = |e: std::io::Error| {
            Failure::new(
                "Lambda.ServiceException",
                format!(
                    "cannot reach the Lambda endpoint {}:{}: {e}",
                    self.host, self.port
                ),
            )
        };
        let mut s = TcpStream::connect((self.host.as_str(), self.port))
            .await
            .map_err(fail)?;
        let req = format!(
            "POST {}/2015-03-31/functions/{name}/invocations HTTP/1.1\r\nHost: {}:{}\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            self.base,
            self.host,
            self.port,
            payload.len()
        );
        s.write_all(req.as_bytes()).await.map_err(fail)?;
        s.write_all(payload.as_bytes()).await.map_err(fail)?;
        let mut buf = Vec::new();
        (&mut s)
            .take(MAX_RESPONSE as u64 + 65536)
            .read_to_end(&mut buf)
            .await
            .map_err(fail)?;
        let resp = Response::parse(&buf).ok_or_else(|| {
            Failure::new(
                "Lambda.ServiceException",
                "the Lambda endpoint sent a response that is not HTTP/1.1",
            )
        })?;
        resp.into_result()
    }
}

/// One HTTP response, read whole.
struct Response<'a> {
    status: u16,
    function_error: bool,
    error_type: Option<&'a str>,
    body: std::borrow::Cow<'a, [u8]>,
}

impl<'a> Response<'a> {
    fn parse(buf: &'a [u8]) -> Option<Response<'a>> {
        let end = buf.windows(4).position(|w| w == b"\r\n\r\n")?;
        let head = std::str::from_utf8(&buf[..end]).ok()?;
        let mut lines = head.split("\r\n");
        let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
        let mut function_error = false;
        let mut error_type = None;
        let mut chunked = false;
        let mut length = None;
        for l in lines {
            let (k, v) = l.split_once(':')?;
            let v = v.trim();
            match k.to_ascii_lowercase().as_str() {
                "x-amz-function-error" => function_error = true,
                "x-amzn-errortype" => error_type = Some(v.split(':').next().unwrap_or(v)),
                "transfer-encoding" => chunked = v.eq_ignore_ascii_case("chunked"),
                "content-length" => length = v.parse::<usize>().ok(),
                _ => {}
            }
        }
        let rest = &buf[end + 4..];
        let body = if chunked {
            std::borrow::Cow::Owned(dechunk(rest)?)
        } else {
            std::borrow::Cow::Borrowed(&rest[..length.unwrap_or(rest.len()).min(rest.len())])
        };
        Some(Response {
            status,
            function_error,
            error_type,
            body,
        })
    }

    fn into_result(self) -> Result<serde_json::Value, Failure> {
        let text = String::from_utf8_lossy(&self.body).into_owned();
        if self.status >= 300 {
            let name = self
                .error_type
                .map_or("Lambda.ServiceException".to_owned(), |t| {
                    format!("Lambda.{t}")
                });
            return Err(Failure::new(name, text));
        }
        let value = if text.trim().is_empty() {
            serde_json::Value::Null
        } else {
            serde_json::from_str(&text).map_err(|_| {
                Failure::new(
                    "Lambda.ServiceException",
                    format!("the function's response is not JSON: {text}"),
                )
            })?
        };
        if self.function_error {
            let kind = value
                .get("errorType")
                .and_then(|t| t.as_str())
                .unwrap_or("Lambda.Unknown")
                .to_owned();
            return Err(Failure::new(kind, text));
        }
        Ok(value)
    }
}

fn dechunk(mut rest: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let nl = rest.windows(2).position(|w| w == b"\r\n")?;
        let size = usize::from_str_radix(std::str::from_utf8(&rest[..nl]).ok()?.trim(), 16).ok()?;
        rest = &rest[nl + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(rest.get(..size)?);
        rest = rest.get(size + 2..)?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_are_read() {
        let e = Endpoint::parse("http://127.0.0.1:3001").unwrap();
        assert_eq!(
            (e.host.as_str(), e.port, e.base.as_str()),
            ("127.0.0.1", 3001, "")
        );
        assert_eq!(Endpoint::parse("http://h/x/").unwrap().base, "/x");
        assert!(Endpoint::parse("https://h").is_err());
        assert!(Endpoint::parse("http://:1").is_err());
    }

    #[test]
    fn responses_become_results_or_failures() {
        let ok = Response::parse(b"HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\n{\"a\":1}").unwrap();
        assert_eq!(ok.into_result().unwrap(), serde_json::json!({"a": 1}));
        let chunked = Response::parse(
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\n[1]\r\n0\r\n\r\n",
        )
        .unwrap();
        assert_eq!(chunked.into_result().unwrap(), serde_json::json!([1]));
        let err = Response::parse(
            b"HTTP/1.1 200 OK\r\nX-Amz-Function-Error: Unhandled\r\n\r\n{\"errorType\":\"ValueError\",\"errorMessage\":\"no\"}",
        )
        .unwrap()
        .into_result()
        .unwrap_err();
        assert_eq!(err.error, "ValueError");
        let missing = Response::parse(
            b"HTTP/1.1 404 Not Found\r\nx-amzn-ErrorType: ResourceNotFoundException:http://x\r\n\r\n{}",
        )
        .unwrap()
        .into_result()
        .unwrap_err();
        assert_eq!(missing.error, "Lambda.ResourceNotFoundException");
    }
}
