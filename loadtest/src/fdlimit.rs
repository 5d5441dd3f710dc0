//! The file-descriptor limit: every socket and every pooled HTTP connection is one
//! descriptor, and the usual soft limit (1024) would cut a 2000-socket run short with
//! `io: too many open files` handshake failures that look like a server fault.

/// Descriptors beyond the sockets and connections: stdio, the runtime's epoll and
/// wakers, DNS, files the TLS stack opens.
pub const FD_MARGIN: u64 = 64;

/// Raises this process's soft `RLIMIT_NOFILE` to the hard limit, says the result on
/// stderr, and warns when it is below `needed` descriptors plus the margin.
pub fn raise(needed: u64) {
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) => {
            eprintln!("file-descriptor limit: {limit}");
            if let Some(missing) = shortfall(limit, needed) {
                eprintln!(
                    "warning: this run needs about {} descriptors ({needed} sockets and \
                     connections + {FD_MARGIN}), {missing} more than the limit; raise the \
                     hard limit (`ulimit -Hn`, limits.conf) or expect `too many open files`",
                    needed + FD_MARGIN
                );
            }
        }
        Err(err) => eprintln!("warning: could not raise the file-descriptor limit: {err}"),
    }
}

/// Warns when the server process's own limit (read from /proc) is too low for the
/// sockets it is about to hold: its failures would show up here as refused handshakes.
pub fn check_server(limit: Option<u64>, sockets: u64) {
    match limit {
        Some(limit) => match shortfall(limit, sockets) {
            Some(missing) => eprintln!(
                "warning: the server's file-descriptor limit is {limit}, {missing} short of \
                 {sockets} sockets + {FD_MARGIN}; start it from a shell with a higher \
                 `ulimit -n`"
            ),
            None => eprintln!("server file-descriptor limit: {limit}"),
        },
        None => eprintln!("server file-descriptor limit: unknown"),
    }
}

/// How many descriptors `limit` lacks for `needed` plus the margin; `None` if enough.
pub fn shortfall(limit: u64, needed: u64) -> Option<u64> {
    let wanted = needed.saturating_add(FD_MARGIN);
    (limit < wanted).then(|| wanted - limit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortfall_counts_the_margin() {
        assert_eq!(shortfall(20_000, 10_000), None);
        assert_eq!(shortfall(1024, 2000), Some(2000 + FD_MARGIN - 1024));
        assert_eq!(shortfall(2000, 2000), Some(FD_MARGIN));
        assert_eq!(shortfall(2000 + FD_MARGIN, 2000), None);
        assert_eq!(shortfall(u64::MAX, u64::MAX), None);
    }
}
