//! `$formatNumber`, `$formatInteger` and `$parseInteger` cases derived from the official JSONata test suite: every case whose
//! expression is a direct call with literal arguments. `"!Dxxxx"` expects that error code.

/// A `$formatNumber` case: value, picture, options, expected.
pub(super) type NumberCase = (
    f64,
    &'static str,
    &'static [(&'static str, &'static str)],
    &'static str,
);

/// `$formatNumber(value, picture, options)` (group function-formatNumber).
#[rustfmt::skip]
pub(super) const FORMAT_NUMBER: &[NumberCase] = &[
    (12345.6_f64, "#,###.00", &[], "12,345.60"), // case000.json
    (12345678.9_f64, "9,999.99", &[], "12,345,678.90"), // case001.json
    (123412345678.9_f64, "9,9,99.99", &[], "123412345,6,78.90"), // case002.json
    (1234.56789_f64, "9,999.999,999", &[], "1,234.567,890"), // case003.json
    (123.9_f64, "9999", &[], "0124"), // case004.json
    (0.14_f64, "01%", &[], "14%"), // case005.json
    (0.4857_f64, "###.###‰", &[], "485.7‰"), // case006.json
    (0.14_f64, "###pm", &[("per-mille", "pm")], "140pm"), // case007.json
    (-6_f64, "000", &[], "-006"), // case008.json
    (1234.5678_f64, "00.000e0", &[], "12.346e2"), // case009.json
    (1234.5678_f64, "00.000e000", &[], "12.346e002"), // case010.json
    (1234.5678_f64, "①①.①①①e①", &[("zero-digit", "⑟")], "①②.③④⑥e②"), // case011.json
    (0.234_f64, "0.0e0", &[], "2.3e-1"), // case012.json
    (0.234_f64, "#.00e0", &[], "0.23e0"), // case013.json
    (0.123_f64, "#.e9", &[], "0.1e0"), // case014.json
    (0.234_f64, ".00e0", &[], ".23e0"), // case015.json
    (-87504.4812_f64, "000,000.000###;###,###.000###", &[], "87,504.4812"), // case016.json
    (185.2812_f64, "PREFIX##00.000###SUFFIX", &[], "PREFIX185.2812SUFFIX"), // case017.json
    (1e+20_f64, "#,######", &[], "100,000000,000000,000000"), // case018.json
    (20_f64, "#;#;#", &[], "!D3080"), // case019.json
    (20_f64, "#.0.0", &[], "!D3081"), // case020.json
    (20_f64, "#0%%", &[], "!D3082"), // case021.json
    (20_f64, "#0‰‰", &[], "!D3083"), // case022.json
    (20_f64, "#0%‰", &[], "!D3084"), // case023.json
    (20_f64, ".e0", &[], "!D3085"), // case024.json
    (20_f64, "0+.e0", &[], "!D3086"), // case025.json
    (20_f64, "0,.e0", &[], "!D3087"), // case026.json
    (20_f64, "0,", &[], "!D3088"), // case027.json
    (20_f64, "0,,0", &[], "!D3089"), // case028.json
    (20_f64, "0#.e0", &[], "!D3090"), // case029.json
    (20_f64, "#0.#0e0", &[], "!D3091"), // case030.json
    (20_f64, "#0.0e0%", &[], "!D3092"), // case031.json
    (20_f64, "#0.0e0,0", &[], "!D3093"), // case032.json
    (2_f64, "000.000", &[], "002.000"), // case033.json
    (2_f64, "AAA.AAA", &[("zero-digit", "A")], "AAC.AAA"), // case034.json
    (0.1_f64, "AeAAA", &[("zero-digit", "A")], "Be-AAB"), // case035.json
];

/// `$formatInteger(value, picture)` (group function-formatInteger).
#[rustfmt::skip]
pub(super) const FORMAT_INTEGER: &[(f64, &str, &str)] = &[
    (123.0_f64, "000", "123"), // formatInteger.json#1
    (123.0_f64, "0000", "0123"), // formatInteger.json#2
    (-3.0_f64, "0000", "-0003"), // formatInteger.json#3
    (1234.0_f64, "0;c", "1234"), // formatInteger.json#4
    (1234.0_f64, "###0", "1234"), // formatInteger.json#5
    (12.0_f64, "###0", "12"), // formatInteger.json#6
    (12.6_f64, "###0", "12"), // formatInteger.json#7
    (123.0_f64, "000;o", "123rd"), // formatInteger.json#8
    (1.0_f64, "0;o", "1st"), // formatInteger.json#9
    (28.0_f64, "#0;o", "28th"), // formatInteger.json#10
    (1234.0_f64, "###0;o", "1234th"), // formatInteger.json#11
    (12.0_f64, "###0;o", "12th"), // formatInteger.json#12
    (12340.0_f64, "###١", "١٢٣٤٠"), // formatInteger.json#13
    (12340.0_f64, "###０", "１２３４０"), // formatInteger.json#14
    (12340.0_f64, "##0０", "!D3131"), // formatInteger.json#15
    (12.0_f64, "#,##0", "12"), // formatInteger.json#16
    (1200.0_f64, "#,##0", "1,200"), // formatInteger.json#17
    (120000.0_f64, "#,##0", "120,000"), // formatInteger.json#18
    (12345678.0_f64, "#,##0", "12,345,678"), // formatInteger.json#19
    (1234567890.0_f64, "#,##0", "1,234,567,890"), // formatInteger.json#20
    (1234567890.0_f64, "#,###,##0", "1,234,567,890"), // formatInteger.json#21
    (1234567890.0_f64, "#:###,##0", "1234:567,890"), // formatInteger.json#22
    (1234567890.0_f64, "##,##,##0", "12345,67,890"), // formatInteger.json#23
    (0.0_f64, "I", ""), // formatInteger.json#24
    (1984.0_f64, "I", "MCMLXXXIV"), // formatInteger.json#25
    (99.0_f64, "i", "xcix"), // formatInteger.json#26
    (12.0_f64, "w", "twelve"), // formatInteger.json#27
    (20.0_f64, "w", "twenty"), // formatInteger.json#28
    (34.0_f64, "w", "thirty-four"), // formatInteger.json#29
    (99.0_f64, "W", "NINETY-NINE"), // formatInteger.json#30
    (100.0_f64, "w", "one hundred"), // formatInteger.json#31
    (555.0_f64, "W", "FIVE HUNDRED AND FIFTY-FIVE"), // formatInteger.json#32
    (555.0_f64, "Ww", "Five Hundred and Fifty-Five"), // formatInteger.json#33
    (919.0_f64, "w", "nine hundred and nineteen"), // formatInteger.json#34
    (730.0_f64, "w", "seven hundred and thirty"), // formatInteger.json#35
    (1000.0_f64, "w", "one thousand"), // formatInteger.json#36
    (3730.0_f64, "w", "three thousand, seven hundred and thirty"), // formatInteger.json#37
    (327730.0_f64, "w", "three hundred and twenty-seven thousand, seven hundred and thirty"), // formatInteger.json#38
    (4327730.0_f64, "w", "four million, three hundred and twenty-seven thousand, seven hundred and thirty"), // formatInteger.json#39
    (1000000000001.0_f64, "w", "one trillion and one"), // formatInteger.json#40
    (1234567890123.0_f64, "w", "one trillion, two hundred and thirty-four billion, five hundred and sixty-seven million, eight hundred and ninety thousand, one hundred and twenty-three"), // formatInteger.json#41
    (1000000000000000.0_f64, "w", "one thousand trillion"), // formatInteger.json#42
    (1e+46_f64, "w", "ten billion trillion trillion trillion"), // formatInteger.json#43
    (1234567890123456.0_f64, "w", "one thousand, two hundred and thirty-four trillion, five hundred and sixty-seven billion, eight hundred and ninety million, one hundred and twenty-three thousand, four hundred and fifty-six"), // formatInteger.json#44
    (12.0_f64, "w;o", "twelfth"), // formatInteger.json#45
    (20.0_f64, "w;o", "twentieth"), // formatInteger.json#46
    (34.0_f64, "w;o", "thirty-fourth"), // formatInteger.json#47
    (99.0_f64, "W;o", "NINETY-NINTH"), // formatInteger.json#48
    (100.0_f64, "w;o", "one hundredth"), // formatInteger.json#49
    (555.0_f64, "W;o", "FIVE HUNDRED AND FIFTY-FIFTH"), // formatInteger.json#50
    (919.0_f64, "w;o", "nine hundred and nineteenth"), // formatInteger.json#51
    (730.0_f64, "w;o", "seven hundred and thirtieth"), // formatInteger.json#52
    (1000.0_f64, "w;o", "one thousandth"), // formatInteger.json#53
    (3731.0_f64, "w;o", "three thousand, seven hundred and thirty-first"), // formatInteger.json#54
    (327713.0_f64, "w;o", "three hundred and twenty-seven thousand, seven hundred and thirteenth"), // formatInteger.json#55
    (4327732.0_f64, "w;o", "four million, three hundred and twenty-seven thousand, seven hundred and thirty-second"), // formatInteger.json#56
    (1000000000001.0_f64, "w;o", "one trillion and first"), // formatInteger.json#57
    (1.0_f64, "A", "A"), // formatInteger.json#58
    (12.0_f64, "a", "l"), // formatInteger.json#59
    (26.0_f64, "a", "z"), // formatInteger.json#60
    (27.0_f64, "a", "aa"), // formatInteger.json#61
    (300.0_f64, "A", "KN"), // formatInteger.json#62
    (123456.0_f64, "A", "FZPH"), // formatInteger.json#63
    (123456.0_f64, "α", "!D3130"), // formatInteger.json#64
];

/// `$parseInteger(text, picture)` (group function-parseInteger).
#[rustfmt::skip]
pub(super) const PARSE_INTEGER: &[(&str, &str, &str)] = &[
    ("123", "000", "123"), // parseInteger.json#1
    ("0123", "0000", "123"), // parseInteger.json#2
    ("1234", "0", "1234"), // parseInteger.json#3
    ("1234", "###0", "1234"), // parseInteger.json#4
    ("12", "###0", "12"), // parseInteger.json#5
    ("123rd", "000;o", "123"), // parseInteger.json#6
    ("1st", "0;o", "1"), // parseInteger.json#7
    ("28th", "#0;o", "28"), // parseInteger.json#8
    ("1234th", "###0;o", "1234"), // parseInteger.json#9
    ("12th", "###0;o", "12"), // parseInteger.json#10
    ("١٢٣٤٠", "###١", "12340"), // parseInteger.json#11
    ("１２３４０", "###０", "12340"), // parseInteger.json#12
    ("12", "#,##0", "12"), // parseInteger.json#13
    ("1,200", "#,##0", "1200"), // parseInteger.json#14
    ("12,345,678", "#,##0", "12345678"), // parseInteger.json#15
    ("1,234,567,890", "#,##0", "1234567890"), // parseInteger.json#16
    ("1,234,567,890", "#,###,##0", "1234567890"), // parseInteger.json#17
    ("1234:567,890", "#:###,##0", "1234567890"), // parseInteger.json#18
    ("12345,67,890", "##,##,##0", "1234567890"), // parseInteger.json#19
    ("", "I", "0"), // parseInteger.json#20
    ("MCMLXXXIV", "I", "1984"), // parseInteger.json#21
    ("xcix", "i", "99"), // parseInteger.json#22
    ("twelve", "w", "12"), // parseInteger.json#23
    ("twenty", "w", "20"), // parseInteger.json#24
    ("thirty-four", "w", "34"), // parseInteger.json#25
    ("NINETY-NINE", "W", "99"), // parseInteger.json#26
    ("one hundred", "w", "100"), // parseInteger.json#27
    ("FIVE HUNDRED AND FIFTY-FIVE", "W", "555"), // parseInteger.json#28
    ("Five Hundred and Fifty-Five", "Ww", "555"), // parseInteger.json#29
    ("nine hundred and nineteen", "w", "919"), // parseInteger.json#30
    ("seven hundred and thirty", "w", "730"), // parseInteger.json#31
    ("one thousand", "w", "1000"), // parseInteger.json#32
    ("three thousand, seven hundred and thirty", "w", "3730"), // parseInteger.json#33
    ("three hundred and twenty-seven thousand, seven hundred and thirty", "w", "327730"), // parseInteger.json#34
    ("four million, three hundred and twenty-seven thousand, seven hundred and thirty", "w", "4327730"), // parseInteger.json#35
    ("one trillion and one", "w", "1000000000001"), // parseInteger.json#36
    ("one trillion, two hundred and thirty-four billion, five hundred and sixty-seven million, eight hundred and ninety thousand, one hundred and twenty-three", "w", "1234567890123"), // parseInteger.json#37
    ("one thousand trillion", "w", "1000000000000000"), // parseInteger.json#38
    ("ten billion trillion trillion trillion", "w", "1e+46"), // parseInteger.json#39
    ("twelfth", "w;o", "12"), // parseInteger.json#40
    ("twentieth", "w;o", "20"), // parseInteger.json#41
    ("thirty-fourth", "w;o", "34"), // parseInteger.json#42
    ("NINETY-NINTH", "W;o", "99"), // parseInteger.json#43
    ("one hundredth", "w;o", "100"), // parseInteger.json#44
    ("FIVE HUNDRED AND FIFTY-FIFTH", "W;o", "555"), // parseInteger.json#45
    ("nine hundred and nineteenth", "w;o", "919"), // parseInteger.json#46
    ("seven hundred and thirtieth", "w;o", "730"), // parseInteger.json#47
    ("Seven Hundred and Thirty-Third", "Ww;o", "733"), // parseInteger.json#48
    ("one thousandth", "w;o", "1000"), // parseInteger.json#49
    ("three thousand, seven hundred and thirty-first", "w;o", "3731"), // parseInteger.json#50
    ("three hundred and twenty-seven thousand, seven hundred and thirteenth", "w;o", "327713"), // parseInteger.json#51
    ("four million, three hundred and twenty-seven thousand, seven hundred and thirty-second", "w;o", "4327732"), // parseInteger.json#52
    ("one trillion and first", "w;o", "1000000000001"), // parseInteger.json#53
    ("A", "A", "1"), // parseInteger.json#54
    ("l", "a", "12"), // parseInteger.json#55
    ("z", "a", "26"), // parseInteger.json#56
    ("aa", "a", "27"), // parseInteger.json#57
    ("KN", "A", "300"), // parseInteger.json#58
    ("FZPH", "A", "123456"), // parseInteger.json#59
    ("50", "#", "!D3130"), // parseInteger.json#60
];
