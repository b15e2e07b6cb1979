//! Which proxy a connection goes through, if any: the proxy URL (its password masked wherever it
//! is shown), `--proxy` / `DODIL_PROXY` / a profile's `proxy:`, and the environment's rules.
//!
//! The environment is read as curl reads it: a connection to `host:port` is looked up as
//! `https://host:port` in `HTTPS_PROXY`/`https_proxy`, then `ALL_PROXY`/`all_proxy` (an artifact
//! URL by its own scheme, so `http://` ones in `HTTP_PROXY`/`http_proxy` first), and
//! `NO_PROXY`/`no_proxy` exempts targets. hyper-util's `client::proxy::matcher` applies the
//! `NO_PROXY` rules (host names, `.suffix`, `*`, IP addresses, CIDR ranges); we only read and
//! check the variables, so a bad value is an error naming it rather than silently no proxy.
//! Loopback targets are never proxied from the environment. An explicit proxy (`--proxy`,
//! `DODIL_PROXY`, the profile's `proxy:`) overrides all of it, loopback included.
//!
//! Transport-neutral: the gRPC connector (`client::connect`) and the artifact downloads
//! (`save::artifacts`) both ask [`Proxies::route`].

use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;

use hyper_util::client::proxy::matcher::Matcher;

use crate::error::CliError;

/// The proxy protocols we speak.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProxyKind {
    /// `http://`: HTTP CONNECT, the target's name in the request.
    Http,
    /// `socks5://`: SOCKS5, the target's name resolved here.
    Socks5,
    /// `socks5h://`: SOCKS5, the target's name resolved by the proxy.
    Socks5h,
}

impl ProxyKind {
    pub fn scheme(self) -> &'static str {
        match self {
            ProxyKind::Http => "http",
            ProxyKind::Socks5 => "socks5",
            ProxyKind::Socks5h => "socks5h",
        }
    }

    fn default_port(self) -> u16 {
        match self {
            ProxyKind::Http => 80,
            ProxyKind::Socks5 | ProxyKind::Socks5h => 1080,
        }
    }
}

/// A proxy's password. Never shown: `Debug` and `Display` print `***`.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Display for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// A proxy URL, `scheme://[user[:password]@]host[:port]`. `Display` (and `Debug`) show it with
/// the password as `***`: `http://alice:***@proxy:3128`.
#[derive(Clone, PartialEq, Eq)]
pub struct ProxyUrl {
    pub kind: ProxyKind,
    /// As written, an IPv6 address in brackets.
    host: String,
    port: u16,
    user: Option<String>,
    password: Option<Password>,
    /// Where it was set: `--proxy`, `HTTPS_PROXY`, `profile "dev"` ...
    source: String,
}

impl ProxyUrl {
    /// Parses `text` (from `source`, which errors name). A URL without a scheme is `http://`, as
    /// curl takes it; a scheme other than `http`, `socks5`, `socks5h` is exit 2 naming it.
    pub fn parse(text: &str, source: &str) -> Result<ProxyUrl, CliError> {
        let text = text.trim();
        let invalid = |why: &str| {
            CliError::usage(format!("invalid proxy URL in {source}: {why}")).with_hint(FORMS_HINT)
        };
        let (kind, rest) = match text.split_once("://") {
            None => (ProxyKind::Http, text),
            Some((scheme, rest)) => {
                let plain = scheme
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic())
                    && scheme
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                    && scheme.len() <= 20;
                if !plain {
                    return Err(invalid("it does not start with a scheme such as http://"));
                }
                let kind = match scheme.to_ascii_lowercase().as_str() {
                    "http" => ProxyKind::Http,
                    "socks5" => ProxyKind::Socks5,
                    "socks5h" => ProxyKind::Socks5h,
                    _ => {
                        return Err(CliError::usage(format!(
                            "unsupported proxy scheme {:?} in {source}",
                            scheme
                        ))
                        .with_hint(FORMS_HINT))
                    }
                };
                (kind, rest)
            }
        };
        // The authority ends where a path, query or fragment starts; a proxy URL's path means
        // nothing (curl ignores it too).
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        let (userinfo, host_port) = match authority.rsplit_once('@') {
            Some((userinfo, host_port)) => (Some(userinfo), host_port),
            None => (None, authority),
        };
        let (user, password) = match userinfo {
            None => (None, None),
            Some(userinfo) => {
                let (user, password) = match userinfo.split_once(':') {
                    Some((user, password)) => (user, Some(password)),
                    None => (userinfo, None),
                };
                let decode = |part: &str, what: &str| {
                    percent_encoding::percent_decode_str(part)
                        .decode_utf8()
                        .map(|s| s.into_owned())
                        .map_err(|_| invalid(&format!("its {what} is not UTF-8 once decoded")))
                };
                (
                    Some(decode(user, "user name")?),
                    password
                        .map(|p| decode(p, "password").map(Password))
                        .transpose()?,
                )
            }
        };
        let (host, port) = split_host_port(host_port).ok_or_else(|| {
            invalid("expected host[:port] after the scheme (percent-encode @ : / in a password)")
        })?;
        let port = match port {
            None => kind.default_port(),
            Some(port) => port
                .parse::<u16>()
                .ok()
                .filter(|p| *p != 0)
                .ok_or_else(|| invalid("the port is not a number from 1 to 65535"))?,
        };
        Ok(ProxyUrl {
            kind,
            host: host.to_string(),
            port,
            user,
            password,
            source: source.to_string(),
        })
    }

    /// The host to connect to (an IPv6 address without its brackets).
    pub fn host(&self) -> &str {
        self.host.trim_start_matches('[').trim_end_matches(']')
    }

    /// The host as a URL writes it (an IPv6 address in brackets).
    pub fn url_host(&self) -> &str {
        &self.host
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// User name and password, when the URL has them (a user alone has an empty password).
    pub fn credentials(&self) -> Option<(&str, &str)> {
        self.user
            .as_deref()
            .map(|user| (user, self.password.as_ref().map_or("", |p| p.expose())))
    }

    pub fn has_password(&self) -> bool {
        self.password.is_some()
    }

    /// Where the proxy was set (`--proxy`, `HTTPS_PROXY`, ...).
    pub fn source(&self) -> &str {
        &self.source
    }

    /// `scheme://host:port`, with no credentials: what the matcher is given.
    fn without_credentials(&self) -> String {
        format!("{}://{}:{}", self.kind.scheme(), self.host, self.port)
    }
}

impl fmt::Display for ProxyUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://", self.kind.scheme())?;
        if let Some(user) = &self.user {
            let user: String = percent_encoding::utf8_percent_encode(user, USERINFO).to_string();
            match &self.password {
                Some(password) => write!(f, "{user}:{password}@")?,
                None => write!(f, "{user}@")?,
            }
        }
        write!(f, "{}:{}", self.host, self.port)
    }
}

impl fmt::Debug for ProxyUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ProxyUrl({self} from {})", self.source)
    }
}

/// Characters a user name shows percent-encoded, so the masked URL reads back the same way.
const USERINFO: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'@')
    .add(b':')
    .add(b'/')
    .add(b'%');

const FORMS_HINT: &str =
    "a proxy is http://[USER:PASS@]HOST:PORT (HTTP CONNECT), socks5://HOST:PORT \
     or socks5h://HOST:PORT (the proxy resolves names), or `none` in --proxy / DODIL_PROXY";

/// `host[:port]` or `[v6]:port`; `None` when the host is empty or holds characters no host name
/// has.
fn split_host_port(text: &str) -> Option<(&str, Option<&str>)> {
    let (host, port) = if text.starts_with('[') {
        let end = text.find(']')?;
        let (host, rest) = text.split_at(end + 1);
        host[1..end].parse::<std::net::Ipv6Addr>().ok()?;
        match rest {
            "" => (host, None),
            rest => (host, Some(rest.strip_prefix(':')?)),
        }
    } else {
        match text.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (text, None),
        }
    };
    let plain = !host.is_empty()
        && (host.starts_with('[')
            || host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-._~".contains(c)));
    plain.then_some((host, port))
}

/// How every connection of this command picks its route.
pub enum Proxies {
    /// `--proxy none` (or `DODIL_PROXY=none`, a profile's `proxy: none`): always direct.
    Off { source: String },
    /// An explicit proxy: every connection goes through it, loopback included.
    Always(ProxyUrl),
    /// The environment's rules.
    Environment(EnvRules),
}

/// The proxy variables of the environment, checked.
pub struct EnvRules {
    /// For `https://` targets (every gRPC connection): `HTTPS_PROXY`, else `ALL_PROXY`.
    https: Option<EnvProxy>,
    /// For `http://` artifact URLs: `HTTP_PROXY`, else `ALL_PROXY`.
    http: Option<EnvProxy>,
    /// Which `NO_PROXY` variable was set, for saying why a target went direct.
    no_proxy: Option<&'static str>,
    /// `NO_PROXY` holds `*`: every target is exempt. hyper-util's matcher applies `*` to host
    /// names only; curl (whose rules these are) to IP addresses as well.
    exempt_all: bool,
}

struct EnvProxy {
    url: ProxyUrl,
    /// Decides from `NO_PROXY` whether a target goes through `url`.
    matcher: Arc<Matcher>,
}

/// The route of one connection.
pub enum Route<'a> {
    Direct(Direct),
    Proxy(&'a ProxyUrl),
}

/// Why a connection goes direct.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Direct {
    /// `--proxy none`, from where it was said.
    Off(String),
    /// A loopback target, which the environment's proxies never take.
    Loopback,
    /// Exempted by `NO_PROXY` (or `no_proxy`).
    Exempt(&'static str),
    /// No proxy variable applies to the target.
    NoProxySet,
}

impl fmt::Display for Route<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Route::Proxy(proxy) => write!(f, "via proxy {proxy} (from {})", proxy.source),
            Route::Direct(Direct::Off(source)) => write!(f, "direct (proxy none, from {source})"),
            Route::Direct(Direct::Loopback) => f.write_str("direct (loopback)"),
            Route::Direct(Direct::Exempt(var)) => write!(f, "direct ({var})"),
            Route::Direct(Direct::NoProxySet) => f.write_str("direct (no proxy set)"),
        }
    }
}

impl Route<'_> {
    pub fn proxy(&self) -> Option<&ProxyUrl> {
        match self {
            Route::Proxy(proxy) => Some(proxy),
            Route::Direct(_) => None,
        }
    }
}

impl Proxies {
    /// The rules for this command: an explicit proxy (`--proxy`, then `DODIL_PROXY`, then the
    /// profile's `proxy:`; each `URL` or `none`), else the environment's variables.
    pub fn resolve(flag: Option<&str>, profile: Option<(&str, &str)>) -> Result<Proxies, CliError> {
        let dodil_proxy = env_value("DODIL_PROXY")?;
        let profile_source = profile.map(|(name, _)| format!("the proxy: of profile {name:?}"));
        let explicit = flag
            .filter(|v| !v.trim().is_empty())
            .map(|v| (v.to_string(), "--proxy".to_string()))
            .or(dodil_proxy.map(|v| (v, "DODIL_PROXY".to_string())))
            .or(profile
                .filter(|(_, v)| !v.trim().is_empty())
                .map(|(_, v)| (v.to_string(), profile_source.unwrap_or_default())));
        if let Some((text, source)) = explicit {
            if text.trim().eq_ignore_ascii_case("none") {
                return Ok(Proxies::Off { source });
            }
            let url = ProxyUrl::parse(&text, &source)?;
            if source == "--proxy" && url.has_password() {
                return Err(CliError::usage(format!(
                    "--proxy {url}: a proxy password is never taken as a command-line value \
                     (process listings show it)"
                ))
                .with_hint(
                    "put the URL in DODIL_PROXY or HTTPS_PROXY, or in the profile's proxy: in the \
                     config file",
                ));
            }
            return Ok(Proxies::Always(url));
        }
        Ok(Proxies::Environment(EnvRules::from_env()?))
    }

    /// The route to `host:port`, for a target of scheme `https` (every gRPC connection, TLS or
    /// not, looks its target up as `https://`) or `http`.
    pub fn route(&self, https: bool, host: &str, port: u16) -> Route<'_> {
        match self {
            Proxies::Off { source } => Route::Direct(Direct::Off(source.clone())),
            Proxies::Always(url) => Route::Proxy(url),
            Proxies::Environment(rules) => rules.route(https, host, port),
        }
    }

    /// The route to a URL (an artifact's): by its own scheme.
    pub fn route_url(&self, url: &str) -> Result<Route<'_>, String> {
        let uri: http::Uri = url.parse().map_err(|_| "not a valid URL".to_string())?;
        let https = match uri.scheme_str() {
            Some("https") => true,
            Some("http") => false,
            _ => return Err("not an http(s) URL".into()),
        };
        let host = uri.host().ok_or("a URL without a host")?;
        let port = uri.port_u16().unwrap_or(if https { 443 } else { 80 });
        Ok(self.route(https, host, port))
    }

    /// One line for `-v`: where connections go.
    pub fn summary(&self) -> String {
        match self {
            Proxies::Off { source } => format!("no proxy (none, from {source})"),
            Proxies::Always(url) => {
                format!("proxy {url} (from {}) for every connection", url.source)
            }
            Proxies::Environment(rules) => {
                let mut parts = Vec::new();
                if let Some(p) = &rules.https {
                    parts.push(format!(
                        "https targets via {} (from {})",
                        p.url, p.url.source
                    ));
                }
                if let Some(p) = &rules.http {
                    if rules.https.as_ref().map(|h| &h.url) != Some(&p.url) {
                        parts.push(format!(
                            "http targets via {} (from {})",
                            p.url, p.url.source
                        ));
                    }
                }
                if parts.is_empty() {
                    return "no proxy set".into();
                }
                if let Some(var) = rules.no_proxy {
                    parts.push(format!("exemptions from {var}"));
                }
                parts.push("loopback direct".into());
                format!("proxy: {}", parts.join(", "))
            }
        }
    }
}

impl fmt::Debug for Proxies {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.summary())
    }
}

impl EnvRules {
    fn from_env() -> Result<EnvRules, CliError> {
        let no = first_env(&["NO_PROXY", "no_proxy"])?;
        let no_text = no.as_ref().map(|(_, v)| v.clone()).unwrap_or_default();
        let rule = |names: &[&'static str]| -> Result<Option<EnvProxy>, CliError> {
            let Some((name, value)) = first_env(names)? else {
                return Ok(None);
            };
            let url = ProxyUrl::parse(&value, name)?;
            let matcher = Matcher::builder()
                .all(url.without_credentials())
                .no(no_text.clone())
                .build();
            Ok(Some(EnvProxy {
                url,
                matcher: Arc::new(matcher),
            }))
        };
        let all = ["ALL_PROXY", "all_proxy"];
        let https = match rule(&["HTTPS_PROXY", "https_proxy"])? {
            Some(p) => Some(p),
            None => rule(&all)?,
        };
        let http = match rule(&["HTTP_PROXY", "http_proxy"])? {
            Some(p) => Some(p),
            None => rule(&all)?,
        };
        Ok(EnvRules {
            https,
            http,
            exempt_all: no_text.split(',').any(|entry| entry.trim() == "*"),
            no_proxy: no.map(|(name, _)| name),
        })
    }

    fn route(&self, https: bool, host: &str, port: u16) -> Route<'_> {
        let rule = if https { &self.https } else { &self.http };
        let Some(rule) = rule else {
            return Route::Direct(Direct::NoProxySet);
        };
        if is_loopback(host) {
            return Route::Direct(Direct::Loopback);
        }
        if self.exempt_all {
            return Route::Direct(Direct::Exempt(self.no_proxy.unwrap_or("NO_PROXY")));
        }
        let scheme = if https { "https" } else { "http" };
        let host_in_url = if host.contains(':') && !host.starts_with('[') {
            format!("[{host}]")
        } else {
            host.to_string()
        };
        let target: Result<http::Uri, _> = format!("{scheme}://{host_in_url}:{port}/").parse();
        match target {
            Ok(target) if rule.matcher.intercept(&target).is_none() => {
                Route::Direct(Direct::Exempt(self.no_proxy.unwrap_or("NO_PROXY")))
            }
            // A target the matcher cannot read cannot be exempted: through the proxy.
            _ => Route::Proxy(&rule.url),
        }
    }
}

/// `localhost` or a loopback address (127.0.0.0/8, ::1, ::ffff:127.x).
pub fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let host = host.strip_suffix('.').unwrap_or(host);
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<IpAddr>()
            .is_ok_and(|ip| ip.to_canonical().is_loopback())
}

/// The first of `names` that is set and not empty, with its value.
fn first_env(names: &[&'static str]) -> Result<Option<(&'static str, String)>, CliError> {
    for name in names {
        if let Some(value) = env_value(name)? {
            return Ok(Some((name, value)));
        }
    }
    Ok(None)
}

fn env_value(name: &str) -> Result<Option<String>, CliError> {
    match std::env::var(name) {
        Ok(value) if value.trim().is_empty() => Ok(None),
        Ok(value) => Ok(Some(value)),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => {
            Err(CliError::usage(format!("{name} is not valid UTF-8")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> ProxyUrl {
        ProxyUrl::parse(text, "test").unwrap()
    }

    /// Rules as the environment would give them, without touching the process environment.
    fn rules(https: Option<&str>, no: &str) -> Proxies {
        let https = https.map(|text| {
            let url = url(text);
            let matcher = Matcher::builder()
                .all(url.without_credentials())
                .no(no)
                .build();
            EnvProxy {
                url,
                matcher: Arc::new(matcher),
            }
        });
        Proxies::Environment(EnvRules {
            https,
            http: None,
            no_proxy: (!no.is_empty()).then_some("NO_PROXY"),
            exempt_all: no.split(',').any(|entry| entry.trim() == "*"),
        })
    }

    fn goes_via(proxies: &Proxies, host: &str) -> bool {
        proxies.route(true, host, 443).proxy().is_some()
    }

    #[test]
    fn urls_parse_and_show_no_password() {
        let p = url("http://alice:s%40cret@proxy.corp:3128");
        assert_eq!(p.kind, ProxyKind::Http);
        assert_eq!((p.host(), p.port()), ("proxy.corp", 3128));
        assert_eq!(p.credentials(), Some(("alice", "s@cret")));
        assert_eq!(p.to_string(), "http://alice:***@proxy.corp:3128");
        assert!(!format!("{p:?}").contains("cret"));

        assert_eq!(url("proxy:8080").to_string(), "http://proxy:8080");
        assert_eq!(url("http://proxy/").port(), 80);
        assert_eq!(url("socks5://127.0.0.1").port(), 1080);
        assert_eq!(url("SOCKS5H://[::1]:9050").kind, ProxyKind::Socks5h);
        assert_eq!(url("socks5h://[::1]:9050").host(), "::1");
        assert_eq!(
            url("socks5h://[::1]:9050").to_string(),
            "socks5h://[::1]:9050"
        );
        assert_eq!(url("http://bob@p:1").credentials(), Some(("bob", "")));
        assert_eq!(
            url("http://a%20b:x@p:1").to_string(),
            "http://a%20b:***@p:1"
        );
    }

    #[test]
    fn bad_urls_are_usage_errors_that_name_the_scheme_not_the_password() {
        for (text, needle) in [
            ("ftp://p:21", "\"ftp\""),
            ("socks4://p:1080", "\"socks4\""),
            ("https://p:443", "\"https\""),
            ("http://", "host"),
            ("http://p:99999", "port"),
            ("http://p:0", "port"),
            ("http://alice:pw@", "host"),
            ("http://p q:1", "host"),
        ] {
            let err = ProxyUrl::parse(text, "HTTPS_PROXY").unwrap_err();
            assert_eq!(err.status, crate::error::ExitStatus::Usage);
            assert!(err.message.contains(needle), "{text}: {}", err.message);
            assert!(err.message.contains("HTTPS_PROXY"), "{}", err.message);
            assert!(!err.message.contains("pw"), "{}", err.message);
        }
    }

    #[test]
    fn loopback_is_never_proxied_from_the_environment() {
        let p = rules(Some("http://proxy:3128"), "");
        for host in [
            "localhost",
            "LOCALHOST",
            "127.0.0.1",
            "127.9.9.9",
            "::1",
            "[::1]",
            "::ffff:127.0.0.1",
        ] {
            assert_eq!(
                p.route(true, host, 1).to_string(),
                "direct (loopback)",
                "{host}"
            );
        }
        assert!(goes_via(&p, "scriptum.test"));
        assert!(goes_via(&p, "10.0.0.1"));
        assert!(goes_via(&p, "2001:db8::1"));
        // An explicit proxy takes loopback too.
        let explicit = Proxies::Always(url("http://proxy:3128"));
        assert!(goes_via(&explicit, "127.0.0.1"));
    }

    #[test]
    fn no_proxy_forms() {
        let cases: [(&str, &str, bool); 14] = [
            ("scriptum.test", "scriptum.test", false),
            ("scriptum.test", "api.scriptum.test", false),
            ("scriptum.test", "notscriptum.test", true),
            (".scriptum.test", "api.scriptum.test", false),
            (".test", "scriptum.test", false),
            (".test", "scriptum.example", true),
            ("*", "anything.example", false),
            ("*", "10.1.2.3", false),
            ("10.1.2.3", "10.1.2.3", false),
            ("10.1.2.3", "10.1.2.4", true),
            ("10.0.0.0/8", "10.200.0.1", false),
            ("10.0.0.0/8", "11.0.0.1", true),
            ("2001:db8::/32", "2001:db8::7", false),
            ("a.example, b.example", "b.example", false),
        ];
        for (no, host, proxied) in cases {
            let p = rules(Some("http://proxy:3128"), no);
            let route = p.route(true, host, 443);
            assert_eq!(
                route.proxy().is_some(),
                proxied,
                "NO_PROXY={no} {host}: {route}"
            );
            if !proxied {
                assert_eq!(route.to_string(), "direct (NO_PROXY)");
            }
        }
    }

    #[test]
    fn routes_say_why() {
        let p = rules(Some("http://alice:pw@proxy:3128"), "");
        assert_eq!(
            p.route(true, "scriptum.test", 443).to_string(),
            "via proxy http://alice:***@proxy:3128 (from test)"
        );
        assert_eq!(
            rules(None, "").route(true, "x.example", 443).to_string(),
            "direct (no proxy set)"
        );
        let off = Proxies::Off {
            source: "--proxy".into(),
        };
        assert_eq!(
            off.route(true, "x.example", 443).to_string(),
            "direct (proxy none, from --proxy)"
        );
        // Artifact URLs go by their own scheme: this rule set has no http:// proxy.
        assert!(p
            .route_url("https://bucket.example/a?sig=1")
            .unwrap()
            .proxy()
            .is_some());
        assert!(p
            .route_url("http://bucket.example/a")
            .unwrap()
            .proxy()
            .is_none());
        assert!(p.route_url("ftp://x/").is_err());
        assert!(!format!("{p:?}").contains("pw"));
    }

    #[test]
    fn every_scheme_reaches_the_matcher() {
        for text in [
            "http://p:1",
            "socks5://p:1",
            "socks5h://p:1",
            "http://[::1]:8",
        ] {
            let p = rules(Some(text), "");
            // [::1] is loopback as a target, not as a proxy.
            assert!(goes_via(&p, "scriptum.test"), "{text}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

        /// Whatever the text, parsing never panics and a password never shows.
        #[test]
        fn parsing_never_panics_or_shows_the_password(
            prefix in "(http://|socks5h://|ftp://|)[a-z:@%/\\[\\]0-9.]{0,12}",
            host in "[a-z0-9.:\\[\\]-]{0,12}",
        ) {
            let text = format!("{prefix}user:Pw9Secret@{host}");
            match ProxyUrl::parse(&text, "X") {
                Ok(p) => proptest::prop_assert!(!p.to_string().contains("Pw9Secret")),
                Err(e) => proptest::prop_assert!(!e.message.contains("Pw9Secret"), "{}", e.message),
            }
        }
    }
}
