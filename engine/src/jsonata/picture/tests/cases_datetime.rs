//! `$fromMillis` and `$toMillis` cases derived from the official JSONata test suite: every case whose
//! expression is a direct call with literal arguments. `"!Dxxxx"` expects that error code.

/// A `$fromMillis` case: millis, picture, timezone, expected.
pub(super) type FromCase = (
    i64,
    Option<&'static str>,
    Option<&'static str>,
    &'static str,
);
/// A `$toMillis ~> $fromMillis` case: text, picture, output picture, expected.
pub(super) type ToFromCase = (
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    &'static str,
);

/// `$fromMillis(millis, picture, timezone)` (group function-fromMillis).
#[rustfmt::skip]
pub(super) const FROM_MILLIS: &[FromCase] = &[
    (1, None, None, "1970-01-01T00:00:00.001Z"), // case000.json
    (1509380732935, None, None, "2017-10-30T16:25:32.935Z"), // case001.json
    (1521801216617, Some("Hello"), None, "Hello"), // formatDateTime.json#1
    (1521801216617, Some("Year: [Y0001]"), None, "Year: 2018"), // formatDateTime.json#2
    (1521801216617, Some("Year: <[Y0001]>"), None, "Year: <2018>"), // formatDateTime.json#3
    (1521801216617, Some("Year: <[Y9,999,*]>"), None, "Year: <2,018>"), // formatDateTime.json#4
    (1521801216617, Some("[[Year: <[Y0001]>"), None, "[Year: <2018>"), // formatDateTime.json#5
    (1521801216617, Some("Year]]: <[Y0001]>"), None, "Year]: <2018>"), // formatDateTime.json#6
    (1521801216617, Some("[[Year]]: [[[Y0001]]]"), None, "[Year]: [2018]"), // formatDateTime.json#7
    (1521801216617, Some("[D#1]/[M#1]/[Y0001]"), None, "23/3/2018"), // formatDateTime.json#8
    (1522616700000, Some("[F0] [FNn]"), None, "7 Sunday"), // formatDateTime.json#9
    (1522703100000, Some("[F0] [FNn]"), None, "1 Monday"), // formatDateTime.json#10
    (1521801216617, Some("[Y0001]-[M01]-[D01]"), None, "2018-03-23"), // formatDateTime.json#11
    (1521801216617, Some("[M01]/[D01]/[Y0001] at [H01]:[m01]:[s01]"), None, "03/23/2018 at 10:33:36"), // formatDateTime.json#12
    (1521801216617, Some("[Y]-[M01]-[D01]T[H01]:[m]:[s].[f001][Z01:01t]"), None, "2018-03-23T10:33:36.617Z"), // formatDateTime.json#13
    (1521801216617, Some("[Y]-[ M01]-[D 01]T[H01 ]:[ m   ]:[s].[f0  01][Z01:\n 01t]"), None, "2018-03-23T10:33:36.617Z"), // formatDateTime.json#14
    (1521801216617, Some("[Y]-[M01]-[D01]T[H01]:[m]:[s].[f001][Z0101t]"), Some("+0100"), "2018-03-23T11:33:36.617+0100"), // formatDateTime.json#15
    (1531310400000, Some("[Y]-[M01]-[D01]T[H01]:[m]:[s][Z01:01]"), None, "2018-07-11T12:00:00+00:00"), // formatDateTime.json#16
    (1531310400000, Some("[Y]-[M01]-[D01]T[H01]:[m]:[s][Z01:01t]"), None, "2018-07-11T12:00:00Z"), // formatDateTime.json#17
    (1531310400000, Some("[Y]-[M01]-[D01]T[H01]:[m]:[s][Z]"), Some("-0500"), "2018-07-11T07:00:00-05:00"), // formatDateTime.json#18
    (1531310400000, Some("[Y]-[M01]-[D01]T[H01]:[m]:[s][Z0]"), Some("-0500"), "2018-07-11T07:00:00-5"), // formatDateTime.json#19
    (1531310400000, Some("[Y]-[M01]-[D01]T[H01]:[m]:[s][Z]"), Some("+1000"), "2018-07-11T22:00:00+10:00"), // formatDateTime.json#20
    (1531310400000, Some("[Y]-[M01]-[D01]T[H01]:[m]:[s][Z0]"), Some("+1000"), "2018-07-11T22:00:00+10"), // formatDateTime.json#21
    (1531310400000, Some("[Y]-[M01]-[D01]T[H01]:[m]:[s][Z0]"), Some("+0530"), "2018-07-11T17:30:00+5:30"), // formatDateTime.json#22
    (1531310400000, Some("[Y]-[M01]-[D01]T[H01]:[m]:[s][z]"), Some("-0500"), "2018-07-11T07:00:00GMT-05:00"), // formatDateTime.json#23
    (1204405500000, Some("[Y]-[M01]-[D01]T[H01]:[m]:[s].[f001][Z0101t]"), Some("+0530"), "2008-03-02T02:35:00.000+0530"), // formatDateTime.json#24
    (1230757500000, Some("[Y]-[M01]-[D01]T[H01]:[m]:[s].[f001][Z0101t]"), Some("+0530"), "2009-01-01T02:35:00.000+0530"), // formatDateTime.json#25
    (1230757500000, Some("[Y]-[M01]-[D01]T[H01]:[m]:[s].[f001][Z010101t]"), Some("+0530"), "!D3134"), // formatDateTime.json#26
    (1521801216617, Some("[D#1,2]/[M1,2]/[Y,2]"), None, "23/03/18"), // formatDateTime.json#27
    (1521801216617, Some("[D#1,2]/[M1,2]/[Y0001,2]"), None, "23/03/2018"), // formatDateTime.json#28
    (1521801216617, Some("[D#1,2]/[M1,2]/[Y##01,2-2]"), None, "23/03/18"), // formatDateTime.json#29
    (1521801216617, Some("[D#1,2]/[M1,2]/[Y0001,2-2]"), None, "23/03/18"), // formatDateTime.json#30
    (1521801216617, Some("[D1] [M01] [YI]"), None, "23 03 MMXVIII"), // formatDateTime.json#31
    (1521801216617, Some("[Da] [MA] [Yi]"), None, "w C mmxviii"), // formatDateTime.json#32
    (1521801216617, Some("[D1o] [M01] [Y]"), None, "23rd 03 2018"), // formatDateTime.json#33
    (1521801216617, Some("[Yw]"), None, "two thousand and eighteen"), // formatDateTime.json#34
    (1521801216617, Some("[Dwo] [M01] [Y]"), None, "twenty-third 03 2018"), // formatDateTime.json#35
    (1521801216617, Some("[D1o] [MNn] [Y]"), None, "23rd March 2018"), // formatDateTime.json#36
    (1521801216617, Some("[D1o] [MN] [Y]"), None, "23rd MARCH 2018"), // formatDateTime.json#37
    (1521801216617, Some("[FNn], [D1o] [MNn] [Y]"), None, "Friday, 23rd March 2018"), // formatDateTime.json#38
    (1521801216617, Some("[FNn], the [Dwo] of [MNn] [Y] [E]"), None, "Friday, the twenty-third of March 2018 ISO"), // formatDateTime.json#39
    (1521801216617, Some("[FNn,3-3], [D1o] [MNn,3-3] [Y] [C]"), None, "Fri, 23rd Mar 2018 ISO"), // formatDateTime.json#40
    (1521801216617, Some("[F], [D]/[M]/[Y] [h]:[m]:[s] [P]"), None, "friday, 23/3/2018 10:33:36 am"), // formatDateTime.json#41
    (1204405500000, Some("[F], [D]/[M]/[Y] [h]:[m]:[s] [P]"), None, "saturday, 1/3/2008 9:05:00 pm"), // formatDateTime.json#42
    (1199664000000, Some("[F], [D]/[M]/[Y] [h]:[m]:[s] [P]"), None, "monday, 7/1/2008 12:00:00 am"), // formatDateTime.json#43
    (1514808000000, Some("[dwo] day of the year"), None, "first day of the year"), // formatDateTime.json#44
    (1546257600000, Some("[d] days in [Y0001]"), None, "365 days in 2018"), // formatDateTime.json#45
    (1483185600000, Some("[d] days in [Y0001]"), None, "366 days in 2016"), // formatDateTime.json#46
    (1514808000000, Some("Week: [W]"), None, "Week: 1"), // formatDateTime.json#47
    (1515326400000, Some("Week: [W]"), None, "Week: 1"), // formatDateTime.json#48
    (1545739200000, Some("Week: [W]"), None, "Week: 52"), // formatDateTime.json#49
    (1388577600000, Some("Week: [W]"), None, "Week: 1"), // formatDateTime.json#50
    (1419854400000, Some("Week: [W]"), None, "Week: 1"), // formatDateTime.json#51
    (1419768000000, Some("Week: [W]"), None, "Week: 52"), // formatDateTime.json#52
    (1419336000000, Some("Week: [W]"), None, "Week: 52"), // formatDateTime.json#53
    (1420113600000, Some("Week: [W]"), None, "Week: 1"), // formatDateTime.json#54
    (1420459200000, Some("Week: [W]"), None, "Week: 2"), // formatDateTime.json#55
    (1451304000000, Some("Week: [W]"), None, "Week: 53"), // formatDateTime.json#56
    (1451563200000, Some("Week: [W]"), None, "Week: 53"), // formatDateTime.json#57
    (1451736000000, Some("Week: [W]"), None, "Week: 53"), // formatDateTime.json#58
    (1359460800000, Some("Week: [w] of [xNn]"), None, "Week: 5 of January"), // formatDateTime.json#59
    (1359633600000, Some("Week: [w] of [xNn]"), None, "Week: 5 of January"), // formatDateTime.json#60
    (1359720000000, Some("Week: [w] of [xNn]"), None, "Week: 5 of January"), // formatDateTime.json#61
    (1514808000000, Some("Week: [w] of [xNn]"), None, "Week: 1 of January"), // formatDateTime.json#62
    (1483272000000, Some("Week: [w] of [xNn]"), None, "Week: 5 of December"), // formatDateTime.json#63
    (1533038400000, Some("Week: [w] of [xNn]"), None, "Week: 1 of August"), // formatDateTime.json#64
    (1419940800000, Some("Week: [w] of [xNn]"), None, "Week: 1 of January"), // formatDateTime.json#65
    (1521801216617, Some("[F], [D]/[M]/[Y] [h]:[m]:[s] [PN]"), None, "friday, 23/3/2018 10:33:36 AM"), // formatDateTime.json#67
    (1521801216617, Some("[F], [D]/[M]/[Y] [h]:[m]:[s] [Pn]"), None, "friday, 23/3/2018 10:33:36 am"), // formatDateTime.json#68
    (1419940800000, Some("[YN]-[M]-[D]"), None, "!D3133"), // formatDateTime.json#69
    (1419940800000, Some("[YN]-[M"), None, "!D3135"), // formatDateTime.json#70
];

/// `$toMillis(text, picture)` (group function-tomillis).
#[rustfmt::skip]
pub(super) const TO_MILLIS: &[(&str, Option<&str>, &str)] = &[
    ("1970-01-01T00:00:00.001Z", None, "1"), // case001.json
    ("2018-02-01T09:42:13.123+0000", None, "1517478133123"), // case002.json
    ("2017-10-30", None, "1509321600000"), // case003.json
    ("2017-10-30T15:28:34Z", None, "1509377314000"), // case004.json
    ("2018", None, "1514764800000"), // case005.json
    ("foo", None, "!D3110"), // case007.json
    ("01-02-2018", None, "!D3110"), // case008.json
    ("2018-02-03 11:15:33", None, "!D3110"), // case009.json
    ("201802", Some("[Y0001][M01]"), "1517443200000"), // case010.json
    ("201802", Some("[Y,*-4][M01]"), "1517443200000"), // case011.json
    ("20180205", Some("[Y0001][M01][D01]"), "1517788800000"), // case012.json
    ("Hello", Some("Hello"), "undefined"), // parseDateTime.json#1
    ("2018", Some("[Y1]"), "1514764800000"), // parseDateTime.json#2
    ("2018-03-27", Some("[Y1]-[M01]-[D01]"), "1522108800000"), // parseDateTime.json#3
    ("2018-03-27T14:03:00.123Z", Some("[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001]Z"), "1522159380123"), // parseDateTime.json#4
    ("27th 3 1976", Some("[D1o] [M#1] [Y0001]"), "196732800000"), // parseDateTime.json#5
    ("21st 12 1881", Some("[D1o] [M01] [Y0001]"), "-2777932800000"), // parseDateTime.json#6
    ("2nd 12 2012", Some("[D1o] [M01] [Y0001]"), "1354406400000"), // parseDateTime.json#7
    ("MCMLXXXIV", Some("[YI]"), "441763200000"), // parseDateTime.json#8
    ("27 03 MMXVIII", Some("[D1] [M01] [YI]"), "1522108800000"), // parseDateTime.json#9
    ("27 iii MMXVIII", Some("[D1] [Mi] [YI]"), "1522108800000"), // parseDateTime.json#10
    ("w C mmxviii", Some("[Da] [MA] [Yi]"), "1521763200000"), // parseDateTime.json#11
    ("ae C mmxviii", Some("[Da] [MA] [Yi]"), "1522454400000"), // parseDateTime.json#12
    ("27th April 2008", Some("[D1o] [MNn] [Y0001]"), "1209254400000"), // parseDateTime.json#13
    ("21 August 2017", Some("[D1] [MNn] [Y0001]"), "1503273600000"), // parseDateTime.json#14
    ("2 Feb 2012", Some("[D1] [MNn,3-3] [Y0001]"), "1328140800000"), // parseDateTime.json#15
    ("one thousand, nine hundred and eighty-four", Some("[Yw]"), "441763200000"), // parseDateTime.json#16
    ("nineteen hundred and eighty-four", Some("[Yw]"), "441763200000"), // parseDateTime.json#17
    ("twenty-seven April 2008", Some("[Dw] [MNn] [Y0001]"), "1209254400000"), // parseDateTime.json#18
    ("twenty-seventh April 2008", Some("[Dw] [MNn] [Y0001]"), "1209254400000"), // parseDateTime.json#19
    ("twenty-first August two thousand and seventeen", Some("[Dw] [MNn] [Yw]"), "1503273600000"), // parseDateTime.json#20
    ("TWENTY-SECOND August two thousand and seventeen", Some("[DW] [MNn] [Yw]"), "1503360000000"), // parseDateTime.json#21
    ("Twentieth of August, two thousand and seventeen", Some("[DW] of [MNn], [Yw]"), "1503187200000"), // parseDateTime.json#22
    ("4/4/2018 12:06 am", Some("[D1]/[M1]/[Y0001] [h]:[m] [P]"), "1522800360000"), // parseDateTime.json#23
    ("4/4/2018 06:30 am", Some("[D1]/[M1]/[Y0001] [h]:[m] [P]"), "1522823400000"), // parseDateTime.json#24
    ("4/4/2018 12:06 pm", Some("[D1]/[M1]/[Y0001] [h]:[m] [P]"), "1522843560000"), // parseDateTime.json#25
    ("4/4/2018 11:30 pm", Some("[D1]/[M1]/[Y0001] [h]:[m] [P]"), "1522884600000"), // parseDateTime.json#26
    ("2018-094", Some("[Y0001]-[d001]"), "1522800000000"), // parseDateTime.json#27
    ("irrelevent string", Some("[Y]-[M]-[D]"), "undefined"), // parseDateTime.json#34
    ("2018-05-22", Some("[Y]-[M]-[q]"), "!D3132"), // parseDateTime.json#35
    ("2018-05-22", Some("[YN]-[M]-[D]"), "!D3133"), // parseDateTime.json#36
    ("2018-22", Some("[Y]-[D]"), "!D3136"), // parseDateTime.json#37
    ("5-22 23:59", Some("[M]-[D] [m]:[s]"), "!D3136"), // parseDateTime.json#38
    ("2018-3-2-5", Some("[X]-[x]-[w]-[F1]"), "!D3136"), // parseDateTime.json#39
    ("2018-32-5", Some("[X]-[W]-[F1]"), "!D3136"), // parseDateTime.json#40
];

/// `$toMillis(text, picture) ~> $fromMillis(_, picture2)` (groups function-tomillis, function-fromMillis).
#[rustfmt::skip]
pub(super) const TO_FROM: &[ToFromCase] = &[
    ("2005-01-01", Some("[Y]-[M]-[D]"), Some("[X0001]-W[W01]-[F1]"), "2004-W53-6"), // isoWeekDate.json#0
    ("2005-01-02", Some("[Y]-[M]-[D]"), Some("[X0001]-W[W01]-[F1]"), "2004-W53-7"), // isoWeekDate.json#1
    ("2005-12-31", Some("[Y]-[M]-[D]"), Some("[X0001]-W[W01]-[F1]"), "2005-W52-6"), // isoWeekDate.json#2
    ("2006-01-01", Some("[Y]-[M]-[D]"), Some("[X0001]-W[W01]-[F1]"), "2005-W52-7"), // isoWeekDate.json#3
    ("2006-01-02", Some("[Y]-[M]-[D]"), Some("[X0001]-W[W01]-[F1]"), "2006-W01-1"), // isoWeekDate.json#4
    ("2006-12-31", Some("[Y]-[M]-[D]"), Some("[X0001]-W[W01]-[F1]"), "2006-W52-7"), // isoWeekDate.json#5
    ("2007-01-01", Some("[Y]-[M]-[D]"), Some("[X0001]-W[W01]-[F1]"), "2007-W01-1"), // isoWeekDate.json#6
    ("2007-12-30", Some("[Y]-[M]-[D]"), Some("[X0001]-W[W01]-[F1]"), "2007-W52-7"), // isoWeekDate.json#7
    ("2007-12-31", Some("[Y]-[M]-[D]"), Some("[X0001]-W[W01]-[F1]"), "2008-W01-1"), // isoWeekDate.json#8
    ("2008-01-01", Some("[Y]-[M]-[D]"), Some("[X0001]-W[W01]-[F1]"), "2008-W01-2"), // isoWeekDate.json#9
    ("2008-12-28", Some("[Y]-[M]-[D]"), Some("[X0001]-W[W01]-[F1]"), "2008-W52-7"), // isoWeekDate.json#10
    ("2008-12-29", Some("[Y]-[M]-[D]"), Some("[X0001]-W[W01]-[F1]"), "2009-W01-1"), // isoWeekDate.json#11
    ("2008-12-30", Some("[Y]-[M]-[D]"), Some("[X0001]-W[W01]-[F1]"), "2009-W01-2"), // isoWeekDate.json#12
    ("2008-12-31", Some("[Y]-[M]-[D]"), Some("[X0001]-W[W01]-[F1]"), "2009-W01-3"), // isoWeekDate.json#13
    ("2009-01-01", Some("[Y]-[M]-[D]"), Some("[X0001]-W[W01]-[F1]"), "2009-W01-4"), // isoWeekDate.json#14
    ("2009-12-31", Some("[Y]-[M]-[D]"), Some("[X0001]-W[W01]-[F1]"), "2009-W53-4"), // isoWeekDate.json#15
    ("2010-01-01", Some("[Y]-[M]-[D]"), Some("[X0001]-W[W01]-[F1]"), "2009-W53-5"), // isoWeekDate.json#16
    ("2010-01-02", Some("[Y]-[M]-[D]"), Some("[X0001]-W[W01]-[F1]"), "2009-W53-6"), // isoWeekDate.json#17
    ("2010-01-03", Some("[Y]-[M]-[D]"), Some("[X0001]-W[W01]-[F1]"), "2009-W53-7"), // isoWeekDate.json#18
    ("Wednesday, 14th November 2018", Some("[FNn], [D1o] [MNn] [Y]"), None, "2018-11-14T00:00:00.000Z"), // parseDateTime.json#30
    ("Mon, Twelfth November 2018", Some("[FNn,*-3], [DWwo] [MNn] [Y]"), None, "2018-11-12T00:00:00.000Z"), // parseDateTime.json#31
    ("2018--180", Some("[Y]--[d]"), None, "2018-06-29T00:00:00.000Z"), // parseDateTime.json#32
    ("three hundred and sixty-fifth day of 2018", Some("[dwo] day of [Y]"), None, "2018-12-31T00:00:00.000Z"), // parseDateTime.json#33
    ("2020-09-09 08:00:00 +02:00", Some("[Y0001]-[M01]-[D01] [H01]:[m01]:[s01] [Z]"), None, "2020-09-09T06:00:00.000Z"), // parseDateTime.json#41
    ("2020-09-09 08:00:00 GMT-05:00", Some("[Y0001]-[M01]-[D01] [H01]:[m01]:[s01] [z]"), None, "2020-09-09T13:00:00.000Z"), // parseDateTime.json#42
    ("2020-09-09 12:00:00 +05:30", Some("[Y0001]-[M01]-[D01] [H01]:[m01]:[s01] [Z]"), None, "2020-09-09T06:30:00.000Z"), // parseDateTime.json#43
    ("2020-09-09 12:00:00 GMT-5", Some("[Y0001]-[M01]-[D01] [H01]:[m01]:[s01] [z01]"), None, "2020-09-09T17:00:00.000Z"), // parseDateTime.json#44
    ("2020-09-09 12:00:00 +0530", Some("[Y0001]-[M01]-[D01] [H01]:[m01]:[s01] [Z0001]"), None, "2020-09-09T06:30:00.000Z"), // parseDateTime.json#45
];
