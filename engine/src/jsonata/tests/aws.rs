//! The functions Step Functions adds to JSONata.

use super::eval_str;

#[test]
fn partition() {
    assert_eq!(
        eval_str("$partition([1,2,3,4,5,6,7,8,9], 3)", ""),
        Ok("[[1,2,3],[4,5,6],[7,8,9]]".into())
    );
    assert_eq!(
        eval_str("$partition([1,2,3,4], 3)", ""),
        Ok("[[1,2,3],[4]]".into())
    );
    assert_eq!(eval_str("$partition([1,2], 0)", ""), Err("D3203".into()));
}

#[test]
fn range() {
    assert_eq!(
        eval_str("$range(0, 10, 2)", ""),
        Ok("[0,2,4,6,8,10]".into())
    );
    assert_eq!(eval_str("$range(1, 3)", ""), Ok("[1,2,3]".into()));
    assert_eq!(eval_str("$range(5, 1, -2)", ""), Ok("[5,3,1]".into()));
    assert_eq!(eval_str("$range(1, 2, 0)", ""), Err("D3203".into()));
}

#[test]
fn hash() {
    assert_eq!(
        eval_str("$hash('input data', 'MD5')", ""),
        Ok("\"812f45842bc6d66ee14572ce20db8e86\"".into())
    );
    assert_eq!(
        eval_str("$hash('abc', 'SHA-256')", ""),
        Ok("\"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\"".into())
    );
    assert_eq!(
        eval_str("$hash('abc', 'SHA-1')", ""),
        Ok("\"a9993e364706816aba3e25717850c26c9cd0d89d\"".into())
    );
    assert_eq!(
        eval_str("$length($hash('abc', 'SHA-384'))", ""),
        Ok("96".into())
    );
    assert_eq!(
        eval_str("$length($hash('abc', 'SHA-512'))", ""),
        Ok("128".into())
    );
    assert_eq!(eval_str("$hash('abc', 'CRC32')", ""), Err("D3201".into()));
}

#[test]
fn random_and_uuid() {
    let a = eval_str("$random(42)", "").unwrap();
    assert_eq!(eval_str("$random(42)", ""), Ok(a.clone()));
    assert_ne!(eval_str("$random(43)", ""), Ok(a));
    assert_eq!(
        eval_str("$random() < 1 and $random() >= 0", ""),
        Ok("true".into())
    );
    let u = eval_str("$uuid()", "").unwrap();
    assert_eq!(u.len(), 38);
    assert_eq!(&u[15..16], "4");
    assert!(matches!(&u[20..21], "8" | "9" | "a" | "b"));
}

#[test]
fn parse_json() {
    assert_eq!(eval_str("$parse('{\"a\":[1,2]}').a[1]", ""), Ok("2".into()));
    assert_eq!(eval_str("$parse('{')", ""), Err("D3202".into()));
}

#[test]
fn eval_is_removed() {
    assert_eq!(eval_str("$eval('1+1')", ""), Err("D3200".into()));
}

#[test]
fn clock() {
    assert_eq!(eval_str("$millis()", ""), Ok("1700000000123".into()));
    assert_eq!(
        eval_str("$now()", ""),
        Ok("\"2023-11-14T22:13:20.123Z\"".into())
    );
}
