//! The built-in function table: each built-in's id, name, signature and
//! arity. A leaf module: values, the evaluator and the library all name
//! built-ins by these ids.

use super::signature::Signature;
use std::sync::OnceLock;

macro_rules! builtins {
    ($($v:ident $name:literal $sig:literal $arity:literal;)*) => {
        /// A built-in function.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub(crate) enum Builtin { $($v),* }
        const SIGS: &[&str] = &[$($sig),*];
        impl Builtin {
            /// The built-in called `$name`.
            pub(crate) fn by_name(n: &str) -> Option<Self> {
                match n { $($name => Some(Builtin::$v),)* _ => None }
            }
            /// Its name (without `$`).
            pub(crate) fn name(self) -> &'static str {
                match self { $(Builtin::$v => $name),* }
            }
            /// Number of declared parameters (what higher-order functions pass).
            pub(crate) fn arity(self) -> usize {
                match self { $(Builtin::$v => $arity),* }
            }
        }
    };
}

builtins! {
    Sum "sum" "<a<n>:n>" 1;
    Count "count" "<a:n>" 1;
    Max "max" "<a<n>:n>" 1;
    Min "min" "<a<n>:n>" 1;
    Average "average" "<a<n>:n>" 1;
    StringF "string" "<x-b?:s>" 1;
    Substring "substring" "<s-nn?:s>" 3;
    SubstringBefore "substringBefore" "<s-s:s>" 2;
    SubstringAfter "substringAfter" "<s-s:s>" 2;
    Lowercase "lowercase" "<s-:s>" 1;
    Uppercase "uppercase" "<s-:s>" 1;
    Length "length" "<s-:n>" 1;
    Trim "trim" "<s-:s>" 1;
    Pad "pad" "<s-ns?:s>" 3;
    Match "match" "<s-f<s:o>n?:a<o>>" 3;
    Contains "contains" "<s-(sf):b>" 2;
    Replace "replace" "<s-(sf)(sf)n?:s>" 4;
    Split "split" "<s-(sf)n?:a<s>>" 3;
    Join "join" "<a<s>s?:s>" 2;
    FormatBase "formatBase" "<n-n?:s>" 2;
    FormatNumber "formatNumber" "<n-so?:s>" 3;
    FormatInteger "formatInteger" "<n-s:s>" 2;
    ParseInteger "parseInteger" "<s-s:n>" 2;
    FromMillis "fromMillis" "<n-s?s?:s>" 3;
    ToMillis "toMillis" "<s-s?:n>" 2;
    Number "number" "<(nsb)-:n>" 1;
    Floor "floor" "<n-:n>" 1;
    Ceil "ceil" "<n-:n>" 1;
    Round "round" "<n-n?:n>" 2;
    Abs "abs" "<n-:n>" 1;
    Sqrt "sqrt" "<n-:n>" 1;
    Power "power" "<n-n:n>" 2;
    Random "random" "<n?:n>" 1;
    Boolean "boolean" "<x-:b>" 1;
    Not "not" "<x-:b>" 1;
    Map "map" "<af>" 2;
    Zip "zip" "<a+>" 0;
    Filter "filter" "<af>" 2;
    Single "single" "<af?>" 2;
    Reduce "reduce" "<afj?:j>" 3;
    Sift "sift" "<o-f?:o>" 2;
    Keys "keys" "<x-:a<s>>" 1;
    Lookup "lookup" "<x-s:x>" 2;
    Append "append" "<xx:a>" 2;
    Exists "exists" "<x:b>" 1;
    Spread "spread" "<x-:a<o>>" 1;
    Merge "merge" "<a<o>:o>" 1;
    Reverse "reverse" "<a:a>" 1;
    Each "each" "<o-f:a>" 2;
    Error "error" "<s?:x>" 1;
    Assert "assert" "<bs?:x>" 2;
    Type "type" "<x:s>" 1;
    Sort "sort" "<af?:a>" 2;
    Shuffle "shuffle" "<a:a>" 1;
    Distinct "distinct" "<x:x>" 1;
    Base64Encode "base64encode" "<s-:s>" 1;
    Base64Decode "base64decode" "<s-:s>" 1;
    EncodeUrlComponent "encodeUrlComponent" "<s-:s>" 1;
    EncodeUrl "encodeUrl" "<s-:s>" 1;
    DecodeUrlComponent "decodeUrlComponent" "<s-:s>" 1;
    DecodeUrl "decodeUrl" "<s-:s>" 1;
    Eval "eval" "<sx?:x>" 2;
    Clone "clone" "<(oa)-:o>" 1;
    Millis "millis" "<:n>" 0;
    Now "now" "<s?s?:s>" 2;
    Partition "partition" "<an:a>" 2;
    Range "range" "<nnn?:a>" 3;
    Hash "hash" "<s-s?:s>" 2;
    Uuid "uuid" "<:s>" 0;
    Parse "parse" "<s-:x>" 1;
}

impl Builtin {
    /// The parsed signature.
    pub(crate) fn signature(self) -> &'static Signature {
        static PARSED: OnceLock<Vec<Signature>> = OnceLock::new();
        let all = PARSED.get_or_init(|| {
            SIGS.iter()
                .map(|s| Signature::parse(s).unwrap_or(Signature { params: Vec::new() }))
                .collect()
        });
        &all[self as usize]
    }
}
