//! Proleptic Gregorian calendar arithmetic in UTC, JavaScript `Date.UTC` semantics,
//! and the date/time component values of F&O §9.8.4 (with jsonata-js's week rules).

/// Milliseconds in a day.
pub(crate) const MS_PER_DAY: i64 = 86_400_000;

/// The largest absolute time value a JavaScript `Date` holds.
pub(crate) const MAX_TIME: f64 = 8.64e15;

/// Days since 1970-01-01 of a civil date (`month` 1–12).
pub(crate) fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date `(year, month 1–12, day)` of a day count since 1970-01-01.
pub(crate) fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Days since the epoch of the first of a month, `month0` zero-based and allowed to overflow.
pub(crate) fn month_start(year: i64, month0: i64) -> i64 {
    days_from_civil(year + month0.div_euclid(12), month0.rem_euclid(12) + 1, 1)
}

/// JavaScript `Date.UTC(year, month0, day, hours, minutes, seconds, ms)`: NaN when out of range.
pub(crate) fn date_utc(fields: [f64; 7]) -> f64 {
    if fields.iter().any(|f| !f.is_finite()) {
        return f64::NAN;
    }
    let mut fields = fields.map(f64::trunc);
    if (0.0..=99.0).contains(&fields[0]) {
        fields[0] += 1900.0;
    }
    make_date(fields)
}

/// `MakeDate(MakeDay(year, month0, day), MakeTime(h, m, s, ms))` with `TimeClip`; NaN if out of range.
pub(crate) fn make_date(fields: [f64; 7]) -> f64 {
    if fields.iter().any(|f| !f.is_finite()) {
        return f64::NAN;
    }
    let [year, month0, day, h, m, s, ms] = fields.map(f64::trunc);
    let ym = year + (month0 / 12.0).floor();
    if ym.abs() > 400_000.0 {
        return f64::NAN;
    }
    let mn = month0.rem_euclid(12.0);
    let days = month_start(ym as i64, mn as i64) as f64 + day - 1.0;
    let time = h * 3_600_000.0 + m * 60_000.0 + s * 1000.0 + ms;
    let t = days * MS_PER_DAY as f64 + time;
    if t.abs() > MAX_TIME {
        f64::NAN
    } else {
        t
    }
}

/// A component value: a number, a fixed word (`am`, `ISO`), or absent (`undefined`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Fragment {
    /// A numeric component.
    Number(f64),
    /// A textual component.
    Text(&'static str),
    /// No value (timezone, unknown component).
    Absent,
}

/// A UTC instant broken into its civil fields.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Moment {
    /// Milliseconds since the epoch.
    millis: i64,
    /// Days since the epoch.
    days: i64,
    /// Full year.
    year: i64,
    /// Month, 1–12.
    month: i64,
    /// Day of month.
    day: i64,
    /// Millisecond within the day.
    time: i64,
}

impl Moment {
    /// Breaks `millis` into civil fields.
    pub(crate) fn new(millis: i64) -> Moment {
        let days = millis.div_euclid(MS_PER_DAY);
        let (year, month, day) = civil_from_days(days);
        Moment {
            millis,
            days,
            year,
            month,
            day,
            time: millis.rem_euclid(MS_PER_DAY),
        }
    }

    /// The ISO day of the week, 1 (Monday) – 7 (Sunday).
    fn iso_weekday(&self) -> i64 {
        weekday_iso(self.days)
    }

    /// The hour of the day, 0–23.
    fn hour(&self) -> i64 {
        self.time / 3_600_000
    }

    /// The value of a component specifier, as jsonata-js's `getDateTimeFragment` computes it.
    pub(crate) fn fragment(&self, component: char) -> Fragment {
        let n = |v: i64| Fragment::Number(v as f64);
        match component {
            'Y' => n(self.year),
            'M' => n(self.month),
            'D' => n(self.day),
            'd' => n(self.days - days_from_civil(self.year, 1, 1) + 1),
            'F' => n(self.iso_weekday()),
            'W' => Fragment::Number(self.week_of_year()),
            'w' => Fragment::Number(self.week_of_month()),
            'X' => n(self.iso_year()),
            'x' => n(self.iso_month()),
            'H' => n(self.hour()),
            'h' => n(match self.hour() % 12 {
                0 => 12,
                h => h,
            }),
            'P' => Fragment::Text(if self.hour() >= 12 { "pm" } else { "am" }),
            'm' => n(self.time / 60_000 % 60),
            's' => n(self.time / 1000 % 60),
            'f' => n(self.time % 1000),
            'C' | 'E' => Fragment::Text("ISO"),
            _ => Fragment::Absent,
        }
    }

    /// ISO week of the year (week 1 holds the first Thursday).
    fn week_of_year(&self) -> f64 {
        let start = first_week_start(self.year, 0);
        let mut week = delta_weeks(start, self.days);
        if week > 52.0 {
            if self.days >= first_week_start(self.year + 1, 0) {
                week = 1.0;
            }
        } else if week < 1.0 {
            week = delta_weeks(first_week_start(self.year - 1, 0), self.days);
        }
        week.floor()
    }

    /// Week of the month, by the same first-Thursday rule applied to months.
    fn week_of_month(&self) -> f64 {
        let month0 = self.month - 1;
        let mut week = delta_weeks(first_week_start(self.year, month0), self.days);
        if week > 4.0 {
            if self.days >= first_week_start(self.year, month0 + 1) {
                week = 1.0;
            }
        } else if week < 1.0 {
            week = delta_weeks(first_week_start(self.year, month0 - 1), self.days);
        }
        week.floor()
    }

    /// The ISO week-numbering year.
    fn iso_year(&self) -> i64 {
        let start = first_week_start(self.year, 0) * MS_PER_DAY;
        let end = first_week_start(self.year + 1, 0) * MS_PER_DAY;
        if self.millis < start {
            self.year - 1
        } else if self.millis >= end {
            self.year + 1
        } else {
            self.year
        }
    }

    /// The month (1–12) that owns the week this instant falls in.
    fn iso_month(&self) -> i64 {
        let month0 = self.month - 1;
        let start = first_week_start(self.year, month0) * MS_PER_DAY;
        let end = first_week_start(self.year, month0 + 1) * MS_PER_DAY;
        if self.millis < start {
            (month0 - 1).rem_euclid(12) + 1
        } else if self.millis >= end {
            (month0 + 1).rem_euclid(12) + 1
        } else {
            self.month
        }
    }
}

/// ISO weekday (1 = Monday … 7 = Sunday) of a day count since the epoch.
pub(crate) fn weekday_iso(days: i64) -> i64 {
    match (days + 4).rem_euclid(7) {
        0 => 7,
        d => d,
    }
}

/// Day number of the Monday starting week 1 of a month (`month0` zero-based, may overflow).
fn first_week_start(year: i64, month0: i64) -> i64 {
    let first = month_start(year, month0);
    let dow = weekday_iso(first);
    if dow > 4 {
        first + (8 - dow)
    } else {
        first - (dow - 1)
    }
}

/// jsonata-js's `deltaWeeks`: weeks from `start` to `end` plus one, fractional.
fn delta_weeks(start: i64, end: i64) -> f64 {
    (end - start) as f64 / 7.0 + 1.0
}
