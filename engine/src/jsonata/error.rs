//! JSONata errors: a code as in jsonata-js ("S0201", "T2001", ...), a
//! message built from that code's template, and the source position.

use std::fmt;

/// An error raised while parsing or evaluating a JSONata expression.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct JsonataError {
    /// jsonata-js's error code, e.g. "T2001".
    pub(crate) code: &'static str,
    /// Human-readable text, close to jsonata-js's.
    pub(crate) message: String,
    /// Character offset in the source where the error was detected.
    pub(crate) position: usize,
    /// The token (operator, function name) the error is about, if any.
    pub(crate) token: Option<String>,
    /// The offending value, rendered for the message.
    pub(crate) value: Option<String>,
    /// A second value (comparisons) or an argument index, for the message.
    pub(crate) value2: Option<String>,
}

impl fmt::Display for JsonataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for JsonataError {}

/// Shorthand for results in this module.
pub(crate) type JResult<T> = Result<T, Box<JsonataError>>;

impl JsonataError {
    /// A new error with code `code` at `position`; the message is filled in by [`JsonataError::finish`].
    pub(crate) fn new(code: &'static str, position: usize) -> Box<Self> {
        Box::new(JsonataError {
            code,
            message: String::new(),
            position,
            token: None,
            value: None,
            value2: None,
        })
    }

    /// Sets the token.
    pub(crate) fn tok(mut self: Box<Self>, t: impl Into<String>) -> Box<Self> {
        self.token = Some(t.into());
        self
    }

    /// Sets the value shown in the message.
    pub(crate) fn val(mut self: Box<Self>, v: impl Into<String>) -> Box<Self> {
        self.value = Some(v.into());
        self
    }

    /// Sets the second value shown in the message.
    pub(crate) fn val2(mut self: Box<Self>, v: impl Into<String>) -> Box<Self> {
        self.value2 = Some(v.into());
        self
    }

    /// An error whose message is given as is (`$error`, `$assert`).
    pub(crate) fn custom(code: &'static str, message: String) -> Box<Self> {
        let mut e = JsonataError::new(code, 0);
        e.message = message;
        e
    }

    /// Builds the message from the code's template (once).
    pub(crate) fn finish(mut self) -> JsonataError {
        if self.message.is_empty() {
            self.message = render(template(self.code), &self);
        }
        self
    }
}

fn render(tpl: &str, e: &JsonataError) -> String {
    let mut out = String::with_capacity(tpl.len() + 16);
    let mut rest = tpl;
    while let Some(i) = rest.find("{{") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        let Some(j) = after.find("}}") else {
            out.push_str(&rest[i..]);
            return out;
        };
        let field = &after[..j];
        let text = match field {
            "token" => e.token.clone().unwrap_or_default(),
            "value" => e.value.clone().unwrap_or_default(),
            "value2" | "index" | "exp" | "type" => e.value2.clone().unwrap_or_default(),
            _ => String::new(),
        };
        out.push_str(&text);
        rest = &after[j + 2..];
    }
    out.push_str(rest);
    out
}

fn template(code: &str) -> &'static str {
    match code {
        "S0101" => "String literal must be terminated by a matching quote",
        "S0102" => "Number out of range: {{token}}",
        "S0103" => "Unsupported escape sequence: \\{{token}}",
        "S0104" => "The escape sequence \\u must be followed by 4 hex digits",
        "S0105" => "Quoted property name must be terminated with a backquote (`)",
        "S0106" => "Comment has no closing tag",
        "S0201" => "Syntax error: {{token}}",
        "S0202" => "Expected {{value}}, got {{token}}",
        "S0203" => "Expected {{value}} before end of expression",
        "S0204" => "Unknown operator: {{token}}",
        "S0205" => "Unexpected token: {{token}}",
        "S0206" => "Unknown expression type: {{token}}",
        "S0207" => "Unexpected end of expression",
        "S0208" => "Parameter {{value}} of function definition must be a variable name (start with $)",
        "S0209" => "A predicate cannot follow a grouping expression in a step",
        "S0210" => "Each step can only have one grouping expression",
        "S0211" => "The symbol {{token}} cannot be used as a unary operator",
        "S0212" => "The left side of := must be a variable name (start with $)",
        "S0213" => "The literal value {{value}} cannot be used as a step within a path expression",
        "S0214" => "The right side of {{token}} must be a variable name (start with $)",
        "S0215" => "A context variable binding must precede any predicates on a step",
        "S0216" => "A context variable binding must precede the 'order-by' clause on a step",
        "S0217" => "The object representing the 'parent' cannot be derived from this expression",
        "S0301" => "Empty regular expressions are not allowed",
        "S0302" => "No terminating / in regular expression",
        "S0303" => "Unsupported regular expression: {{value}}",
        "S0402" => "Choice groups containing parameterized types are not supported",
        "S0401" => "Type parameters can only be applied to functions and arrays",
        "T0410" => "Argument {{value2}} of function {{token}} does not match function signature",
        "T0411" => "Context value is not a compatible type with argument {{value2}} of function {{token}}",
        "T0412" => "Argument {{value2}} of function {{token}} must be an array of {{value}}",
        "D1001" => "Number out of range: {{value}}",
        "D1002" => "Cannot negate a non-numeric value: {{value}}",
        "T1003" => "Key in object structure must evaluate to a string; got: {{value}}",
        "D1004" => "Regular expression matches zero length string",
        "T1005" => "Attempted to invoke a non-function. Did you mean ${{token}}?",
        "T1006" => "Attempted to invoke a non-function",
        "T1007" => "Attempted to partially apply a non-function. Did you mean ${{token}}?",
        "T1008" => "Attempted to partially apply a non-function",
        "D1009" => "Multiple key definitions evaluate to same key: {{value}}",
        "T1010" => "The matcher function argument passed to function {{token}} does not return the correct object structure",
        "T2001" => "The left side of the {{token}} operator must evaluate to a number",
        "T2002" => "The right side of the {{token}} operator must evaluate to a number",
        "T2003" => "The left side of the range operator (..) must evaluate to an integer",
        "T2004" => "The right side of the range operator (..) must evaluate to an integer",
        "T2006" => "The right side of the function application operator ~> must be a function",
        "T2007" => "Type mismatch when comparing values {{value}} and {{value2}} in order-by clause",
        "T2008" => "The expressions within an order-by clause must evaluate to numeric or string values",
        "T2009" => "The values {{value}} and {{value2}} either side of operator {{token}} must be of the same data type",
        "T2010" => "The expressions either side of operator {{token}} must evaluate to numeric or string values",
        "T2011" => "The insert/update clause of the transform expression must evaluate to an object: {{value}}",
        "T2012" => "The delete clause of the transform expression must evaluate to a string or array of strings: {{value}}",
        "T2013" => "The transform expression clones the input object using the $clone() function.  This has been overridden in the current scope by a non-function.",
        "D2014" => "The size of the sequence allocated by the range operator (..) must not exceed 1e7.  Attempted to allocate {{value}}.",
        "D3001" => "Attempting to invoke string function on Infinity or NaN",
        "D3010" => "Second argument of replace function cannot be an empty string",
        "D3011" => "Fourth argument of replace function must evaluate to a positive number",
        "D3012" => "Attempted to replace a matched string with a non-string value",
        "D3020" => "Third argument of split function must evaluate to a positive number",
        "D3030" => "Unable to cast value to a number: {{value}}",
        "D3040" => "Third argument of match function must evaluate to a positive number",
        "D3050" => "The second argument of reduce function must be a function with at least two arguments",
        "D3060" => "The sqrt function cannot be applied to a negative number: {{value}}",
        "D3061" => "The power function has resulted in a value that cannot be represented as a JSON number: base={{value}}, exponent={{value2}}",
        "D3070" => "The single argument form of the sort function can only be applied to an array of strings or an array of numbers.  Use the second argument to specify a comparison function",
        "D3100" => "The radix of the formatBase function must be between 2 and 36.  It was given {{value}}",
        "D3110" => "The argument of the toMillis function must be an ISO 8601 formatted timestamp. Given {{value}}",
        "D3137" => "{{value}}",
        "D3138" => "The $single() function expected exactly 1 matching result.  Instead it matched more.",
        "D3139" => "The $single() function expected exactly 1 matching result.  Instead it matched 0.",
        "D3140" => "Malformed URL passed to ${{token}}(): {{value}}",
        "D3141" => "{{value}}",
        "D3200" => "The $eval function is not supported",
        "D3201" => "The $hash algorithm must be one of MD5, SHA-1, SHA-256, SHA-384, SHA-512; given {{value}}",
        "D3202" => "The $parse argument is not valid JSON: {{value}}",
        "D3203" => "Invalid argument to {{token}}: {{value}}",
        "U1001" => "Stack overflow error: Check for non-terminating recursive function.  Consider rewriting as tail-recursive.",
        "U1002" => "Expression evaluation exceeded its step budget",
        "U1003" => "The result of the expression is not JSON: {{value}}",
        _ => "Error {{token}} {{value}}",
    }
}
