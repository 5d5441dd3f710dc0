//! Backup file names (`ankhang-YYYYMMDD-HHMMSS.sqlite3`, UTC) and retention. Only
//! files with our names are ever listed or deleted: whatever else an operator keeps in
//! the folder is left alone.

use std::{
    io,
    path::{Path, PathBuf},
};

use chrono::{DateTime, NaiveDateTime, Timelike, Utc};

const PREFIX: &str = "ankhang-";
const SUFFIX: &str = ".sqlite3";
const STAMP: &str = "%Y%m%d-%H%M%S";
const STAMP_LEN: usize = 15;

/// The `n`-th name for a backup taken at `at`; `n > 1` only when a backup of the same
/// second already exists.
pub fn file_name(at: DateTime<Utc>, n: u32) -> String {
    let stamp = at.format(STAMP);
    if n <= 1 {
        format!("{PREFIX}{stamp}{SUFFIX}")
    } else {
        format!("{PREFIX}{stamp}-{n}{SUFFIX}")
    }
}

/// A name of ours not yet taken in `dir`, ordered after every backup of the same
/// second (so retention never mistakes the newest for the oldest).
pub fn fresh_path(dir: &Path, at: DateTime<Utc>) -> PathBuf {
    let second = at.naive_utc().with_nanosecond(0);
    let latest = listed(dir)
        .unwrap_or_default()
        .iter()
        .filter_map(|path| path.file_name()?.to_str().and_then(parse))
        .filter(|(taken, _)| Some(*taken) == second)
        .map(|(_, n)| n)
        .max()
        .unwrap_or(0);
    (latest + 1..)
        .map(|n| dir.join(file_name(at, n)))
        .find(|path| !path.exists())
        .unwrap_or_else(|| dir.join(file_name(at, latest + 1)))
}

/// When a backup named `name` was taken, and its order within that second.
fn parse(name: &str) -> Option<(NaiveDateTime, u32)> {
    let rest = name.strip_prefix(PREFIX)?.strip_suffix(SUFFIX)?;
    let stamp = rest.get(..STAMP_LEN)?;
    let at = NaiveDateTime::parse_from_str(stamp, STAMP).ok()?;
    let n = match &rest[STAMP_LEN..] {
        "" => 1,
        more => more.strip_prefix('-')?.parse().ok()?,
    };
    Some((at, n))
}

/// Our backups in `dir`, oldest first (by the time in their names).
pub fn listed(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let Some(key) = entry.file_name().to_str().and_then(parse) else {
            continue;
        };
        if entry.file_type()?.is_file() {
            found.push((key, entry.path()));
        }
    }
    found.sort();
    Ok(found.into_iter().map(|(_, path)| path).collect())
}

/// Deletes all but the newest `keep` of our backups in `dir`; returns what it deleted.
pub fn prune(dir: &Path, keep: usize) -> io::Result<Vec<PathBuf>> {
    let all = listed(dir)?;
    let excess = all.len().saturating_sub(keep);
    let doomed: Vec<PathBuf> = all.into_iter().take(excess).collect();
    for path in &doomed {
        std::fs::remove_file(path)?;
    }
    Ok(doomed)
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};

    use super::*;

    fn at(second: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 23, 8, 0, second)
            .single()
            .expect("time")
    }

    #[test]
    fn names_carry_the_utc_time_and_a_counter_within_a_second() {
        assert_eq!(file_name(at(5), 1), "ankhang-20260123-080005.sqlite3");
        assert_eq!(file_name(at(5), 3), "ankhang-20260123-080005-3.sqlite3");
        assert_eq!(
            parse("ankhang-20260123-080005-3.sqlite3"),
            Some((at(5).naive_utc(), 3))
        );
        assert_eq!(parse("ankhang-20260123-080005.sqlite3.tmp"), None);
        assert_eq!(parse("notes.txt"), None);
    }

    #[test]
    fn a_fresh_name_comes_after_every_backup_of_the_same_second() {
        let dir = tempfile::tempdir().expect("dir");
        assert_eq!(
            fresh_path(dir.path(), at(5)),
            dir.path().join("ankhang-20260123-080005.sqlite3")
        );
        // The first of the second was pruned, the third is still there.
        std::fs::write(dir.path().join(file_name(at(5), 3)), b"x").expect("write");
        assert_eq!(
            fresh_path(dir.path(), at(5)),
            dir.path().join("ankhang-20260123-080005-4.sqlite3")
        );
        assert_eq!(
            fresh_path(dir.path(), at(6)),
            dir.path().join("ankhang-20260123-080006.sqlite3")
        );
    }

    #[test]
    fn pruning_keeps_the_newest_and_leaves_other_files_alone() {
        let dir = tempfile::tempdir().expect("dir");
        let mut names = Vec::new();
        for minutes in [30, 0, 15, 45] {
            let name = file_name(at(0) + Duration::minutes(minutes), 1);
            std::fs::write(dir.path().join(&name), b"x").expect("write");
            names.push(name);
        }
        let same_second = file_name(at(0) + Duration::minutes(45), 2);
        std::fs::write(dir.path().join(&same_second), b"x").expect("write");
        std::fs::write(dir.path().join("README.txt"), b"keep me").expect("write");

        let deleted = prune(dir.path(), 2).expect("prune");
        assert_eq!(deleted.len(), 3);
        let left: Vec<String> = listed(dir.path())
            .expect("list")
            .iter()
            .map(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .expect("name")
                    .to_owned()
            })
            .collect();
        assert_eq!(
            left,
            [
                "ankhang-20260123-084500.sqlite3",
                "ankhang-20260123-084500-2.sqlite3"
            ]
        );
        assert!(dir.path().join("README.txt").exists());
    }
}
