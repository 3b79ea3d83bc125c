//! `.timer on`: the `Run Time: real X user Y sys Z` line sqlite3 prints after each statement,
//! with the process's CPU times from `getrusage`.

use std::time::Duration;

/// User and system CPU time used by this process so far, in seconds.
pub fn cpu_times() -> (f64, f64) {
    // SAFETY: getrusage only writes into the zeroed struct we pass; RUSAGE_SELF is valid.
    let usage = unsafe {
        let mut u: libc::rusage = std::mem::zeroed();
        if libc::getrusage(libc::RUSAGE_SELF, &mut u) != 0 {
            return (0.0, 0.0);
        }
        u
    };
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 * 1e-6;
    (secs(usage.ru_utime), secs(usage.ru_stime))
}

/// The line sqlite3 prints: real time to the millisecond, CPU times to the microsecond.
pub fn run_time(real: Duration, start: (f64, f64)) -> String {
    let (user, sys) = cpu_times();
    format!(
        "Run Time: real {:.3} user {:.6} sys {:.6}\n",
        real.as_secs_f64(),
        (user - start.0).max(0.0),
        (sys - start.1).max(0.0)
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn run_time_has_sqlite3s_shape() {
        let line = super::run_time(std::time::Duration::from_millis(1234), (0.0, 0.0));
        let parts: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(&parts[..3], ["Run", "Time:", "real"]);
        assert_eq!(parts[3], "1.234");
        assert_eq!((parts[4], parts[6]), ("user", "sys"));
        assert!(parts[5].split_once('.').is_some_and(|(_, f)| f.len() == 6));
        assert!(line.ends_with('\n'));
    }
}
