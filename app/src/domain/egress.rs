//! Where the server may send requests on a director's behalf (webhook
//! deliveries): public internet addresses over HTTPS. Loopback, private,
//! link-local (the cloud metadata service at 169.254.169.254), carrier-grade
//! NAT, documentation, multicast and reserved addresses are refused, in IPv4
//! and in every IPv6 spelling that embeds them, unless the operator names
//! the host in [`EgressPolicy::allow_private`]; plain `http://` only for a
//! host in [`EgressPolicy::allow_http`].
//!
//! Registration checks the URL as written ([`check_url`]): the scheme, an
//! address literal, names that stay inside (`localhost`, `*.internal`, a
//! name without a dot). Delivery resolves the name and checks every address
//! ([`check_addrs`]) before connecting to exactly those addresses.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Whether `ip` is a public unicast address a webhook may be sent to.
pub fn is_public_ip(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn in_v4(ip: Ipv4Addr, net: [u8; 4], prefix: u32) -> bool {
    let mask = u32::MAX.checked_shl(32 - prefix).unwrap_or(0);
    u32::from(ip) & mask == u32::from(Ipv4Addr::from(net)) & mask
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    const NOT_PUBLIC: [([u8; 4], u32); 15] = [
        ([0, 0, 0, 0], 8),       // "this network", unspecified
        ([10, 0, 0, 0], 8),      // private
        ([100, 64, 0, 0], 10),   // carrier-grade NAT
        ([127, 0, 0, 0], 8),     // loopback
        ([169, 254, 0, 0], 16),  // link-local, cloud metadata
        ([172, 16, 0, 0], 12),   // private
        ([192, 0, 0, 0], 24),    // IETF protocol assignments
        ([192, 0, 2, 0], 24),    // documentation (TEST-NET-1)
        ([192, 88, 99, 0], 24),  // 6to4 relay anycast
        ([192, 168, 0, 0], 16),  // private
        ([198, 18, 0, 0], 15),   // benchmarking
        ([198, 51, 100, 0], 24), // documentation (TEST-NET-2)
        ([203, 0, 113, 0], 24),  // documentation (TEST-NET-3)
        ([224, 0, 0, 0], 4),     // multicast
        ([240, 0, 0, 0], 4),     // reserved, broadcast
    ];
    !NOT_PUBLIC.iter().any(|(net, p)| in_v4(ip, *net, *p))
}

fn in_v6(ip: Ipv6Addr, net: [u16; 8], prefix: u32) -> bool {
    let mask = u128::MAX.checked_shl(128 - prefix).unwrap_or(0);
    u128::from(ip) & mask == u128::from(Ipv6Addr::from(net)) & mask
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let bits = u128::from(ip);
    // IPv4-mapped `::ffff:a.b.c.d`: the IPv4 address decides.
    if let Some(v4) = ip.to_ipv4_mapped() {
        return is_public_v4(v4);
    }
    // NAT64 `64:ff9b::a.b.c.d` and 6to4 `2002:AABB:CCDD::`: the embedded
    // IPv4 address decides.
    if in_v6(ip, [0x64, 0xff9b, 0, 0, 0, 0, 0, 0], 96) {
        return is_public_v4(Ipv4Addr::from(bits as u32));
    }
    if in_v6(ip, [0x2002, 0, 0, 0, 0, 0, 0, 0], 16) {
        return is_public_v4(Ipv4Addr::from((bits >> 80) as u32));
    }
    const NOT_PUBLIC: [([u16; 8], u32); 11] = [
        ([0, 0, 0, 0, 0, 0, 0, 0], 96), // unspecified, loopback, IPv4-compatible
        ([0x64, 0xff9b, 1, 0, 0, 0, 0, 0], 48), // local-use NAT64
        ([0x100, 0, 0, 0, 0, 0, 0, 0], 64), // discard-only
        ([0x2001, 0, 0, 0, 0, 0, 0, 0], 32), // Teredo
        ([0x2001, 0x10, 0, 0, 0, 0, 0, 0], 28), // ORCHID
        ([0x2001, 0xdb8, 0, 0, 0, 0, 0, 0], 32), // documentation
        ([0x3fff, 0, 0, 0, 0, 0, 0, 0], 20), // documentation
        ([0xfc00, 0, 0, 0, 0, 0, 0, 0], 7), // unique local
        ([0xfe80, 0, 0, 0, 0, 0, 0, 0], 10), // link-local
        ([0xfec0, 0, 0, 0, 0, 0, 0, 0], 10), // site-local (deprecated)
        ([0xff00, 0, 0, 0, 0, 0, 0, 0], 8), // multicast
    ];
    !NOT_PUBLIC.iter().any(|(net, p)| in_v6(ip, *net, *p))
}

/// Host names that by convention stay inside a network: `localhost` and
/// its subdomains, the private-use suffixes, and a name without a dot (a
/// search-domain name such as `db` or `metadata`).
pub fn is_internal_name(host: &str) -> bool {
    const SUFFIXES: [&str; 6] = [
        "localhost",
        "local",
        "internal",
        "localdomain",
        "home.arpa",
        "lan",
    ];
    let host = normalize_host(host);
    !host.contains('.')
        || SUFFIXES
            .iter()
            .any(|s| host == *s || host.ends_with(&format!(".{s}")))
}

/// A host as compared with the operator's lists: lower case, without the
/// brackets of an IPv6 literal or a final dot.
pub fn normalize_host(host: &str) -> String {
    let h = host.trim().to_ascii_lowercase();
    let h = h
        .strip_prefix('[')
        .and_then(|x| x.strip_suffix(']'))
        .unwrap_or(&h);
    h.strip_suffix('.').unwrap_or(h).to_string()
}

/// The operator's exceptions (`ORTALYQ_WEBHOOK_ALLOW_HTTP`,
/// `ORTALYQ_WEBHOOK_ALLOW_PRIVATE`): hosts, as written in a URL, that may be
/// reached over plain HTTP, or whose addresses may be non-public (a
/// receiver on the center's own network). Empty by default.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EgressPolicy {
    pub allow_http: Vec<String>,
    pub allow_private: Vec<String>,
}

impl EgressPolicy {
    /// From two comma-separated host lists.
    pub fn from_lists(http: &str, private: &str) -> EgressPolicy {
        let list = |s: &str| {
            s.split(',')
                .map(normalize_host)
                .filter(|h| !h.is_empty())
                .collect()
        };
        EgressPolicy {
            allow_http: list(http),
            allow_private: list(private),
        }
    }

    pub fn allows_http(&self, host: &str) -> bool {
        let h = normalize_host(host);
        self.allow_http.contains(&h)
    }

    pub fn allows_private(&self, host: &str) -> bool {
        let h = normalize_host(host);
        self.allow_private.contains(&h)
    }
}

/// Why a webhook target is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Not an `https://host[:port]/…` address the server can use.
    Malformed,
    /// `http://` to a host the operator did not allow.
    PlainHttp,
    /// An address (or a name) that is not on the public internet.
    NotPublic,
}

/// A checked URL's scheme, host and port.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub https: bool,
    /// Lower case; an IPv6 literal without brackets.
    pub host: String,
    pub port: u16,
    /// The host is an address literal.
    pub ip: Option<IpAddr>,
}

/// Split `scheme://authority` off a URL; the authority ends where a
/// browser-style parser ends it (`/`, `\`, `?`, `#`).
fn authority(url: &str) -> Result<(bool, &str), Refusal> {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let (https, rest) = if lower.starts_with("https://") {
        (true, &url[8..])
    } else if lower.starts_with("http://") {
        (false, &url[7..])
    } else {
        return Err(Refusal::Malformed);
    };
    let end = rest.find(['/', '\\', '?', '#']).unwrap_or(rest.len());
    Ok((https, &rest[..end]))
}

/// Host and port of an authority (no credentials).
fn host_port(auth: &str, https: bool) -> Result<(String, u16, Option<IpAddr>), Refusal> {
    let default = if https { 443 } else { 80 };
    let (host, port) = if let Some(inner) = auth.strip_prefix('[') {
        let (v6, after) = inner.split_once(']').ok_or(Refusal::Malformed)?;
        let ip: Ipv6Addr = v6.parse().map_err(|_| Refusal::Malformed)?;
        (ip.to_string(), after)
    } else {
        match auth.rsplit_once(':') {
            Some((h, _)) => (h.to_ascii_lowercase(), &auth[h.len()..]),
            None => (auth.to_ascii_lowercase(), ""),
        }
    };
    let port = match port.strip_prefix(':') {
        None if port.is_empty() => default,
        Some("") => default,
        Some(p) if p.bytes().all(|b| b.is_ascii_digit()) => p
            .parse::<u16>()
            .ok()
            .filter(|p| *p > 0)
            .ok_or(Refusal::Malformed)?,
        _ => return Err(Refusal::Malformed),
    };
    if auth.starts_with('[') {
        let ip: IpAddr = host.parse().map_err(|_| Refusal::Malformed)?;
        return Ok((host, port, Some(ip)));
    }
    let name = host.strip_suffix('.').unwrap_or(&host);
    let labels_ok = !name.is_empty()
        && name
            .split('.')
            .all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
    if !labels_ok {
        return Err(Refusal::Malformed);
    }
    // A name whose last label is a number is an IPv4 address to a browser
    // and to the HTTP client (`2130706433`, `0x7f.1`, `127.1`): only the
    // plain dotted form is accepted, so what is checked is what is reached.
    let last = name.rsplit('.').next().unwrap_or(name);
    let numeric = last.bytes().all(|b| b.is_ascii_digit())
        || (last.starts_with("0x") && last[2..].bytes().all(|b| b.is_ascii_hexdigit()));
    if numeric {
        let ip: Ipv4Addr = name.parse().map_err(|_| Refusal::Malformed)?;
        return Ok((ip.to_string(), port, Some(IpAddr::V4(ip))));
    }
    Ok((name.to_string(), port, None))
}

/// Check a webhook URL as written: `https://` (or `http://` to an allowed
/// host), no credentials, a host that is a public address literal or a
/// name that does not stay inside (unless the host is allowed private).
pub fn check_url(url: &str, policy: &EgressPolicy) -> Result<Target, Refusal> {
    let url = url.trim();
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(Refusal::Malformed);
    }
    let (https, auth) = authority(url)?;
    if auth.contains(['@', '%']) {
        return Err(Refusal::Malformed);
    }
    let (host, port, ip) = host_port(auth, https)?;
    if !https && !policy.allows_http(&host) {
        return Err(Refusal::PlainHttp);
    }
    let inside = match ip {
        Some(ip) => !is_public_ip(ip),
        None => is_internal_name(&host),
    };
    if inside && !policy.allows_private(&host) {
        return Err(Refusal::NotPublic);
    }
    Ok(Target {
        https,
        host,
        port,
        ip,
    })
}

/// Check the addresses `host` resolved to at delivery: every one must be
/// public, or the host allowed private. No address at all is refused too.
pub fn check_addrs(host: &str, addrs: &[IpAddr], policy: &EgressPolicy) -> Result<(), Refusal> {
    if addrs.is_empty() {
        return Err(Refusal::NotPublic);
    }
    if addrs.iter().all(|ip| is_public_ip(*ip)) || policy.allows_private(host) {
        Ok(())
    } else {
        Err(Refusal::NotPublic)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn only_public_unicast_addresses_are_public() {
        for public in [
            "8.8.8.8",
            "1.1.1.1",
            "95.59.1.10",
            "172.32.0.1",
            "100.128.0.1",
            "169.253.255.255",
            "2a00:1450:4001::1",
            "2606:4700::1111",
            "::ffff:8.8.8.8",
            "64:ff9b::808:808",
            "2002:808:808::1",
        ] {
            assert!(is_public_ip(ip(public)), "{public}");
        }
        for inside in [
            "127.0.0.1",
            "127.255.0.9",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "100.127.255.255",
            "0.0.0.0",
            "0.1.2.3",
            "224.0.0.1",
            "239.255.255.250",
            "255.255.255.255",
            "240.0.0.1",
            "192.0.2.10",
            "198.51.100.7",
            "203.0.113.9",
            "198.18.0.1",
            "192.0.0.8",
            "::",
            "::1",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "febf::1",
            "ff02::1",
            "2001:db8::1",
            "3fff::1",
            "2001::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "::ffff:10.0.0.1",
            "::127.0.0.1",
            "64:ff9b::7f00:1",
            "64:ff9b:1::1",
            "2002:7f00:1::1",
            "2002:a9fe:a9fe::1",
        ] {
            assert!(!is_public_ip(ip(inside)), "{inside}");
        }
    }

    #[test]
    fn registration_refuses_inside_targets_and_plain_http() {
        let none = EgressPolicy::default();
        let ok = check_url("https://hooks.example.kz/ortalyq?x=1", &none).unwrap();
        assert_eq!(
            (ok.https, ok.host.as_str(), ok.port),
            (true, "hooks.example.kz", 443)
        );
        assert_eq!(
            check_url("HTTPS://Hooks.Example.KZ:8443", &none)
                .unwrap()
                .port,
            8443
        );
        assert!(check_url("https://8.8.8.8/x", &none).is_ok());
        assert!(check_url("https://[2606:4700::1111]/x", &none).is_ok());
        // A backslash ends the host, as it does for a browser and the HTTP
        // client: this one goes to evil.example, never to 127.0.0.1.
        let slash = check_url("https://evil.example\\@127.0.0.1/", &none).unwrap();
        assert_eq!(slash.host, "evil.example");
        for (url, why) in [
            ("http://hooks.example.kz/x", Refusal::PlainHttp),
            ("https://127.0.0.1/x", Refusal::NotPublic),
            (
                "https://169.254.169.254/latest/meta-data",
                Refusal::NotPublic,
            ),
            ("https://10.0.0.5:5432/", Refusal::NotPublic),
            ("https://[::1]:8080/", Refusal::NotPublic),
            ("https://[::ffff:127.0.0.1]/", Refusal::NotPublic),
            ("https://[fd00::1]/", Refusal::NotPublic),
            ("https://localhost/x", Refusal::NotPublic),
            ("https://LOCALHOST./x", Refusal::NotPublic),
            ("https://api.localhost/x", Refusal::NotPublic),
            ("https://metadata.google.internal/", Refusal::NotPublic),
            ("https://printer.local/", Refusal::NotPublic),
            ("https://db/", Refusal::NotPublic),
            ("https://2130706433/", Refusal::Malformed),
            ("https://0x7f.1/", Refusal::Malformed),
            ("https://127.1/", Refusal::Malformed),
            ("https://0177.0.0.1/", Refusal::Malformed),
            ("https://%31%32%37.0.0.1/", Refusal::Malformed),
            ("https://evil.example@127.0.0.1/", Refusal::Malformed),
            ("https://хук.kz/", Refusal::Malformed),
            ("https://hooks.example.kz:0/", Refusal::Malformed),
            ("https://hooks.example.kz:99999/", Refusal::Malformed),
            ("https://", Refusal::Malformed),
            ("ftp://hooks.example.kz/", Refusal::Malformed),
            ("javascript:alert(1)", Refusal::Malformed),
        ] {
            assert_eq!(check_url(url, &none), Err(why), "{url}");
        }
    }

    #[test]
    fn the_operator_names_the_exceptions() {
        let p = EgressPolicy::from_lists(" hooks.lan , 127.0.0.1", "hooks.lan,127.0.0.1,[::1]");
        assert!(check_url("http://hooks.lan:8080/x", &p).is_ok());
        assert!(check_url("http://127.0.0.1:9000/x", &p).is_ok());
        assert!(check_url("https://[::1]/x", &p).is_ok());
        // Each list allows only what it says.
        assert_eq!(check_url("http://[::1]/x", &p), Err(Refusal::PlainHttp));
        assert_eq!(
            check_url("https://127.0.0.2/x", &p),
            Err(Refusal::NotPublic)
        );
        let http_only = EgressPolicy::from_lists("127.0.0.1", "");
        assert_eq!(
            check_url("http://127.0.0.1/x", &http_only),
            Err(Refusal::NotPublic)
        );
    }

    #[test]
    fn delivery_refuses_a_name_if_any_address_is_inside() {
        let none = EgressPolicy::default();
        let public = [ip("95.59.1.10"), ip("2a00:1450:4001::1")];
        assert!(check_addrs("hooks.example.kz", &public, &none).is_ok());
        let mixed = [ip("95.59.1.10"), ip("127.0.0.1")];
        assert_eq!(
            check_addrs("hooks.example.kz", &mixed, &none),
            Err(Refusal::NotPublic)
        );
        assert_eq!(
            check_addrs("hooks.example.kz", &[], &none),
            Err(Refusal::NotPublic)
        );
        let p = EgressPolicy::from_lists("", "hooks.example.kz");
        assert!(check_addrs("Hooks.Example.KZ.", &mixed, &p).is_ok());
    }
}
