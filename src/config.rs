//! Connection settings: where to connect and who we are. Resolved once, flag > environment >
//! profile > built-in default, from the command line, the environment and `dodil/config.yaml`.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context as _;
use serde::Deserialize;

use crate::cli::GlobalArgs;
pub use crate::cli::Transport;
use crate::credentials::{self, Place, StoreKey};
use crate::error::CliError;
use crate::output::Printer;
use crate::proxy::Proxies;

pub const PRODUCTION_ENDPOINT: &str = "https://rpc.dodil.io:443";
pub const STAGING_ENDPOINT: &str = "https://rpc.dev.dodil.io:443";
/// The HTTP gateway's bases (the API reference's endpoint table), for `--transport http`.
pub const PRODUCTION_HTTP_ENDPOINT: &str = "https://api.dodil.io:443";
pub const STAGING_HTTP_ENDPOINT: &str = "https://api.dev.dodil.io:443";

/// The config file as written by people.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// Profile used when neither --profile nor DODIL_PROFILE names one.
    pub default_profile: Option<String>,
    #[serde(default)]
    pub profiles: BTreeMap<String, Profile>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub endpoint: Option<String>,
    pub org: Option<String>,
    pub org_id: Option<String>,
    pub token_file: Option<PathBuf>,
    /// `URL` or `none`: overrides the environment's proxy variables (as `--proxy` does).
    pub proxy: Option<String>,
    /// `grpc` or `http` (as `--transport`).
    pub transport: Option<Transport>,
    /// The HTTP gateway's base URL, when it is not `endpoint` (used with `transport: http`).
    pub http_endpoint: Option<String>,
}

/// A bearer token. Its `Debug` and `Display` never show it.
#[derive(Clone)]
pub struct Token(String);

impl Token {
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// A token as a person pastes it: surrounding whitespace dropped; `None` when nothing is
    /// left, or when it holds a character a header cannot carry (a space, a control
    /// character, anything beyond visible ASCII).
    pub fn parse(text: &str) -> Option<Token> {
        let text = text.trim();
        (!text.is_empty() && text.bytes().all(|b| b.is_ascii_graphic()))
            .then(|| Token(text.to_string()))
    }
}

/// Where the token a command uses came from (for `auth status` and `-v`); never the token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TokenSource {
    /// `DODIL_TOKEN`.
    Environment,
    /// `--token-file PATH`.
    TokenFile(PathBuf),
    /// Stored by `auth login` in the keyring.
    Keyring,
    /// Stored by `auth login` in the fallback file (no keyring answered).
    StoredFile(PathBuf),
    /// The profile's `token_file:`.
    Profile { name: String, path: PathBuf },
    /// No token (or none was looked for).
    None,
}

impl TokenSource {
    /// The source's name in `auth status -o json`.
    pub fn name(&self) -> &'static str {
        match self {
            TokenSource::Environment => "environment",
            TokenSource::TokenFile(_) => "token-file",
            TokenSource::Keyring => "keyring",
            TokenSource::StoredFile(_) => "fallback-file",
            TokenSource::Profile { .. } => "profile",
            TokenSource::None => "none",
        }
    }
}

/// Whether [`resolve`] looks for a token: every command that calls the service does; `auth
/// login` and `logout` only need to know which profile and endpoint they are for (and
/// `token_source` then names what would come before a stored token, without reading it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenLookup {
    Full,
    Skip,
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// Where the endpoint setting came from, for `-v` and error hints.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The endpoint calls go to: the gRPC endpoint, or with `--transport http` the gateway's
    /// base.
    pub endpoint: Endpoint,
    pub transport: Transport,
    /// The profile chosen (`--profile`, `DODIL_PROFILE`, the file's `default_profile`).
    pub profile: Option<String>,
    pub org: Option<String>,
    pub org_id: Option<String>,
    pub token: Option<Token>,
    pub token_source: TokenSource,
    /// Under which key `auth login` keeps a token for this profile and endpoint (`None` for
    /// `embedded`).
    pub store_key: Option<StoreKey>,
    /// Extra root certificate (PEM) for TLS.
    pub ca_cert: Option<Vec<u8>>,
    /// `DODIL_CALL_TIMEOUT=DUR` replaces every per-call time limit (unary deadlines, GetThread
    /// polls, opening a stream, a result stream's idle timeout) — for tests and debugging a slow
    /// server; not in `--help`.
    pub call_timeout: Option<std::time::Duration>,
    /// Which proxy each connection goes through (`--proxy`, `DODIL_PROXY`, the profile's
    /// `proxy:`, else the environment's variables).
    pub proxies: Arc<Proxies>,
    /// `DODIL_RESULT_CHUNK_BYTES=N` replaces the chunk size the result streams ask for (a tuning
    /// and test knob; the server clamps it to its own limits). Not a positive number: ignored.
    pub result_chunk_bytes: Option<i32>,
    /// `DODIL_MAX_STREAMS=N` raises the watch streams many threads open at once on one
    /// connection (a server known to allow more; the benchmark's 1 000). Not a positive
    /// number: ignored.
    pub max_streams: Option<usize>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Endpoint {
    /// An in-process dev server started for this command.
    Embedded,
    /// `https://…` or `http://…`, normalised with an explicit port.
    Remote { url: String, tls: bool },
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Endpoint::Embedded => f.write_str("embedded"),
            Endpoint::Remote { url, .. } => f.write_str(url),
        }
    }
}

impl Endpoint {
    /// Accepts `embedded`, `https://host[:port]`, `http://host:port`, or a bare `host[:port]`
    /// (TLS, the default scheme).
    pub fn parse(text: &str) -> Result<Endpoint, CliError> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("embedded") {
            return Ok(Endpoint::Embedded);
        }
        let bad = || {
            CliError::usage(format!("invalid endpoint {text:?}")).with_hint(
                "use https://host[:port], http://host:port, or `embedded` for the local dev server",
            )
        };
        let (tls, rest) = if let Some(rest) = text.strip_prefix("https://") {
            (true, rest)
        } else if let Some(rest) = text.strip_prefix("http://") {
            (false, rest)
        } else if text.contains("://") {
            return Err(bad());
        } else {
            (true, text)
        };
        let authority = rest.trim_end_matches('/');
        if authority.is_empty() || authority.contains('/') || authority.contains('@') {
            return Err(bad());
        }
        // A bare word (no scheme, dot, port or brackets) is far more often a typo than a host
        // on the search domain: refuse it before any name lookup. `localhost` is a host.
        let bare = !text.contains("://")
            && !authority.contains(['.', ':', '['])
            && !authority.eq_ignore_ascii_case("localhost");
        if bare {
            let error = CliError::usage(format!("invalid endpoint {text:?}"));
            return Err(
                if edit_distance(&authority.to_ascii_lowercase(), "embedded") <= 3 {
                    error.with_hint("did you mean embedded? (the in-process dev server)")
                } else {
                    error.with_hint(format!(
                    "a host needs its scheme or port here: https://{authority} or {authority}:PORT \
                     (or `embedded` for the local dev server)"
                ))
                },
            );
        }
        let has_port = match authority.rsplit_once(':') {
            // An IPv6 literal's colons live inside brackets.
            Some((host, port)) if !port.contains(']') => {
                if host.is_empty() || port.parse::<u16>().is_err() {
                    return Err(bad());
                }
                true
            }
            _ => false,
        };
        let authority = match (has_port, tls) {
            (true, _) => authority.to_string(),
            (false, true) => format!("{authority}:443"),
            (false, false) => format!("{authority}:80"),
        };
        let scheme = if tls { "https" } else { "http" };
        Ok(Endpoint::Remote {
            url: format!("{scheme}://{authority}"),
            tls,
        })
    }
}

/// Levenshtein distance, for "did you mean" (short words only).
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let here = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(here + 1);
            prev = here;
        }
    }
    row[b.len()]
}

/// Resolves the settings from flags (which clap already merged with their environment variables),
/// the remaining environment variables, and the config file's profile.
pub fn resolve(
    global: &GlobalArgs,
    printer: &Printer,
    lookup: TokenLookup,
) -> anyhow::Result<Settings> {
    let path = config_path();
    let file = match &path {
        Some(path) => load_config(path)?,
        None => ConfigFile::default(),
    };

    let profile_name = global.profile.clone().or(file.default_profile.clone());
    let profile = match &profile_name {
        Some(name) => Some(find_profile(&file, name)?),
        None => None,
    };
    let profile = profile.unwrap_or_default();

    let endpoint_text = global
        .endpoint
        .clone()
        .or(profile.endpoint.clone())
        .unwrap_or_else(|| PRODUCTION_ENDPOINT.to_string());
    let grpc_endpoint = Endpoint::parse(&endpoint_text)?;
    let transport = global.transport.or(profile.transport).unwrap_or_default();
    // An endpoint given as a flag or variable serves both transports (the dev server does); a
    // profile may name its gateway's base apart from its gRPC endpoint.
    let endpoint = match transport {
        Transport::Grpc => grpc_endpoint.clone(),
        Transport::Http => match (&global.endpoint, &profile.http_endpoint, &profile.endpoint) {
            (Some(_), _, _) | (None, None, Some(_)) => grpc_endpoint.clone(),
            (None, Some(base), _) => Endpoint::parse(base)?,
            (None, None, None) => Endpoint::parse(PRODUCTION_HTTP_ENDPOINT)?,
        },
    };

    let org = global
        .org
        .clone()
        .or_else(|| env_nonempty("DODIL_ORG"))
        .or_else(|| env_nonempty("SCRIPTUM_ORG_NAME"))
        .or(profile.org.clone());
    let org_id = global.org_id.clone().or(profile.org_id.clone());

    // Keyed by the gRPC endpoint whatever the transport: one login serves both.
    let store_key = StoreKey::new(profile_name.as_deref(), &grpc_endpoint);
    let (token, token_source) = match lookup {
        // What would come before a stored token, named but not read.
        TokenLookup::Skip => match (env_nonempty("DODIL_TOKEN"), &global.token_file) {
            (Some(_), _) => (None, TokenSource::Environment),
            (None, Some(file)) => (None, TokenSource::TokenFile(file.clone())),
            (None, None) => (None, TokenSource::None),
        },
        TokenLookup::Full => resolve_token(
            global,
            profile_name.as_deref().zip(profile.token_file.as_deref()),
            path.as_deref(),
            store_key.as_ref(),
            printer,
        )?,
    };

    if let (Some(_), Endpoint::Remote { url, tls: false }) = (&token, &endpoint) {
        if !global.insecure_allow_plaintext && !is_loopback(url) {
            return Err(CliError::usage(format!(
                "refusing to send a bearer token over plaintext {url}"
            ))
            .with_hint("use https://, or pass --insecure-allow-plaintext if the network is trusted")
            .into());
        }
    }

    let ca_cert = match &global.ca_cert {
        Some(path) => Some(std::fs::read(path).map_err(|err| {
            CliError::usage(format!("cannot read --ca-cert {}: {err}", path.display()))
        })?),
        None => None,
    };

    let proxies = Proxies::resolve(
        global.proxy.as_deref(),
        profile_name.as_deref().zip(profile.proxy.as_deref()),
    )?;

    Ok(Settings {
        endpoint,
        transport,
        profile: profile_name,
        org,
        org_id,
        token,
        token_source,
        store_key,
        ca_cert,
        call_timeout: call_timeout()?,
        proxies: Arc::new(proxies),
        result_chunk_bytes: result_chunk_bytes(),
        max_streams: positive_env("DODIL_MAX_STREAMS"),
    })
}

/// The token, first found of: `DODIL_TOKEN`, `--token-file`, the token `auth login` stored for
/// this profile and endpoint, the profile's `token_file`.
fn resolve_token(
    global: &GlobalArgs,
    profile_file: Option<(&str, &Path)>,
    config_path: Option<&Path>,
    store_key: Option<&StoreKey>,
    printer: &Printer,
) -> anyhow::Result<(Option<Token>, TokenSource)> {
    if let Some(token) = env_nonempty("DODIL_TOKEN") {
        if let Some(file) = &global.token_file {
            printer.warn(&format!(
                "DODIL_TOKEN is set, so --token-file {} is not read (DODIL_TOKEN comes first)",
                file.display()
            ));
        }
        return Ok((
            Some(Token(token.trim().to_string())),
            TokenSource::Environment,
        ));
    }
    if let Some(file) = &global.token_file {
        return Ok((
            Some(read_token(file, printer)?),
            TokenSource::TokenFile(file.clone()),
        ));
    }
    if let Some(key) = store_key {
        if let Some((token, place)) = credentials::lookup(key, printer)? {
            let source = match place {
                Place::Keyring => TokenSource::Keyring,
                Place::File(path) => TokenSource::StoredFile(path),
            };
            return Ok((Some(token), source));
        }
    }
    if let Some((name, file)) = profile_file {
        let base = config_path.and_then(Path::parent);
        let path = resolve_relative(file, base);
        return Ok((
            Some(read_token(&path, printer)?),
            TokenSource::Profile {
                name: name.to_string(),
                path,
            },
        ));
    }
    Ok((None, TokenSource::None))
}

fn call_timeout() -> anyhow::Result<Option<std::time::Duration>> {
    let Some(text) = env_nonempty("DODIL_CALL_TIMEOUT") else {
        return Ok(None);
    };
    let limit = crate::input::parse_duration("DODIL_CALL_TIMEOUT", &text)?;
    if limit.is_zero() {
        return Err(CliError::usage("DODIL_CALL_TIMEOUT must be longer than 0").into());
    }
    Ok(Some(limit))
}

/// `DODIL_RESULT_CHUNK_BYTES`, when a positive number (see [`Settings::result_chunk_bytes`]).
pub fn result_chunk_bytes() -> Option<i32> {
    positive_env("DODIL_RESULT_CHUNK_BYTES")
}

/// A tuning knob's positive number from the environment; anything else: not set.
fn positive_env<N: std::str::FromStr + Default + PartialOrd>(name: &str) -> Option<N> {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse::<N>().ok())
        .filter(|n| *n > N::default())
}

/// Whether an `http://host:port` URL names this machine.
fn is_loopback(url: &str) -> bool {
    let authority = url.trim_start_matches("http://");
    let host = match authority.rsplit_once(':') {
        Some((host, _)) => host,
        None => authority,
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// `DODIL_CONFIG`, else `dodil/config.yaml` under the platform config directory.
pub fn config_path() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("DODIL_CONFIG").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(path));
    }
    dirs::config_dir().map(|dir| dir.join("dodil").join("config.yaml"))
}

/// Reads the config file; a missing file is an empty config, a malformed one is an error naming
/// the file and the line.
pub fn load_config(path: &Path) -> anyhow::Result<ConfigFile> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(ConfigFile::default()),
        Err(err) => {
            return Err(CliError::usage(format!(
                "cannot read config file {}: {err}",
                path.display()
            ))
            .into())
        }
    };
    parse_config(&text).map_err(|err| {
        let place = err
            .location()
            .map(|loc| format!(", line {}", loc.line()))
            .unwrap_or_default();
        CliError::usage(format!(
            "malformed config file {}{place}: {}",
            path.display(),
            strip_location(&err.to_string())
        ))
        .with_hint("fix the file, or point DODIL_CONFIG at another one")
        .into()
    })
}

pub fn parse_config(text: &str) -> Result<ConfigFile, serde_yaml::Error> {
    if text.trim().is_empty() {
        return Ok(ConfigFile::default());
    }
    serde_yaml::from_str(text)
}

/// serde_yaml appends " at line L column C"; we say the line ourselves.
fn strip_location(message: &str) -> &str {
    message
        .find(" at line ")
        .map_or(message, |at| &message[..at])
}

fn find_profile(file: &ConfigFile, name: &str) -> anyhow::Result<Profile> {
    let builtin = match name {
        "production" => Some((PRODUCTION_ENDPOINT, PRODUCTION_HTTP_ENDPOINT)),
        "staging" => Some((STAGING_ENDPOINT, STAGING_HTTP_ENDPOINT)),
        _ => None,
    };
    match (file.profiles.get(name), builtin) {
        (Some(profile), builtin) => {
            let mut profile = profile.clone();
            if let (None, Some((endpoint, base))) = (&profile.endpoint, builtin) {
                profile.endpoint = Some(endpoint.to_string());
                // The built-in gateway base goes with the built-in endpoint only.
                profile
                    .http_endpoint
                    .get_or_insert_with(|| base.to_string());
            }
            Ok(profile)
        }
        (None, Some((endpoint, base))) => Ok(Profile {
            endpoint: Some(endpoint.to_string()),
            http_endpoint: Some(base.to_string()),
            ..Profile::default()
        }),
        (None, None) => {
            let mut known: Vec<&str> = vec!["production", "staging"];
            known.extend(file.profiles.keys().map(String::as_str));
            known.sort_unstable();
            known.dedup();
            Err(CliError::usage(format!("unknown profile {name:?}"))
                .with_hint(format!("known profiles: {}", known.join(", ")))
                .into())
        }
    }
}

fn read_token(path: &Path, printer: &Printer) -> anyhow::Result<Token> {
    warn_if_world_readable(path, printer);
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read token file {}", path.display()))
        .map_err(|err| CliError::usage(format!("{err:#}")))?;
    let token = text.trim();
    if token.is_empty() {
        return Err(CliError::usage(format!("token file {} is empty", path.display())).into());
    }
    Ok(Token(token.to_string()))
}

/// A token file others can read is a leak waiting to happen; say so (once, on stderr).
fn warn_if_world_readable(path: &Path, printer: &Printer) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = std::fs::metadata(path) {
            if meta.permissions().mode() & 0o004 != 0 {
                printer.warn(&format!(
                    "token file {} is readable by every user; run: chmod 600 {}",
                    path.display(),
                    path.display()
                ));
            }
        }
    }
}

/// `~/x` is under the home directory; a relative path is relative to the config file's folder.
fn resolve_relative(path: &Path, base: Option<&Path>) -> PathBuf {
    if let Ok(rest) = path.strip_prefix("~") {
        if let Some(home) = dirs::home_dir() {
            return home.join(rest);
        }
    }
    match base {
        Some(base) if path.is_relative() => base.join(path),
        _ => path.to_path_buf(),
    }
}

fn env_nonempty(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_profiles_know_their_gateway_bases() {
        let file = ConfigFile::default();
        let staging = find_profile(&file, "staging").unwrap();
        assert_eq!(staging.endpoint.as_deref(), Some(STAGING_ENDPOINT));
        assert_eq!(
            staging.http_endpoint.as_deref(),
            Some(STAGING_HTTP_ENDPOINT)
        );
        // A file's staging profile that names its own endpoint does not get the built-in base.
        let file = parse_config(
            "profiles:\n  staging:\n    endpoint: https://rpc.example:443\n    transport: http\n",
        )
        .unwrap();
        let staging = find_profile(&file, "staging").unwrap();
        assert_eq!(staging.http_endpoint, None);
        assert_eq!(staging.transport, Some(Transport::Http));
        let file = parse_config("profiles:\n  production:\n    org: acme\n").unwrap();
        let production = find_profile(&file, "production").unwrap();
        assert_eq!(
            production.http_endpoint.as_deref(),
            Some(PRODUCTION_HTTP_ENDPOINT)
        );
        assert!(parse_config("profiles:\n  x:\n    transport: pigeon\n").is_err());
    }

    #[test]
    fn endpoints_parse_and_normalise() {
        assert_eq!(Endpoint::parse("embedded").unwrap(), Endpoint::Embedded);
        assert_eq!(
            Endpoint::parse("https://rpc.dodil.io").unwrap(),
            Endpoint::Remote {
                url: "https://rpc.dodil.io:443".into(),
                tls: true
            }
        );
        assert_eq!(
            Endpoint::parse("http://127.0.0.1:50051").unwrap(),
            Endpoint::Remote {
                url: "http://127.0.0.1:50051".into(),
                tls: false
            }
        );
        assert_eq!(
            Endpoint::parse("rpc.dev.dodil.io:443").unwrap().to_string(),
            "https://rpc.dev.dodil.io:443"
        );
        for bad in [
            "ftp://x",
            "http://",
            "https://host:notaport",
            "https://a/b",
            "",
        ] {
            assert!(Endpoint::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_bare_word_is_refused_with_a_suggestion_and_localhost_is_a_host() {
        for typo in ["embeded", "Embeddd", "embedd", "mbedded"] {
            let err = Endpoint::parse(typo).unwrap_err();
            assert_eq!(err.status, crate::error::ExitStatus::Usage);
            assert!(
                err.hint.unwrap().starts_with("did you mean embedded?"),
                "{typo}"
            );
        }
        let err = Endpoint::parse("rpcserver").unwrap_err();
        assert!(err.hint.unwrap().contains("https://rpcserver"));
        for host in [
            "localhost",
            "LOCALHOST",
            "localhost:50051",
            "https://rpcserver",
            "[::1]:8",
        ] {
            assert!(Endpoint::parse(host).is_ok(), "{host}");
        }
    }

    #[test]
    fn settings_never_show_the_token() {
        let settings = Settings {
            endpoint: Endpoint::Embedded,
            transport: Transport::Grpc,
            profile: None,
            org: None,
            org_id: None,
            token: Some(Token("tok-5ecret".into())),
            token_source: TokenSource::Environment,
            store_key: None,
            ca_cert: None,
            call_timeout: None,
            proxies: Arc::new(Proxies::Always(
                crate::proxy::ProxyUrl::parse("http://alice:pr0xy-5ecret@proxy:3128", "test")
                    .unwrap(),
            )),
            result_chunk_bytes: None,
            max_streams: None,
        };
        for shown in [
            format!("{settings:?}"),
            format!("{settings:#?}"),
            format!("{}", settings.token.as_ref().unwrap()),
        ] {
            assert!(!shown.contains("tok-5ecret"), "{shown}");
            assert!(!shown.contains("pr0xy-5ecret"), "{shown}");
        }
    }

    #[test]
    fn pasted_tokens_are_trimmed_and_checked() {
        assert_eq!(
            Token::parse("  abc.DEF-123_~\r\n").unwrap().expose(),
            "abc.DEF-123_~"
        );
        for bad in ["", " \n", "two words", "tab\there", "é", "nul\0"] {
            assert!(Token::parse(bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn loopback_hosts() {
        assert!(is_loopback("http://127.0.0.1:50051"));
        assert!(is_loopback("http://localhost:80"));
        assert!(is_loopback("http://[::1]:80"));
        assert!(!is_loopback("http://10.0.0.1:80"));
        assert!(!is_loopback("http://example.com:80"));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

        /// Arbitrary YAML-ish text never panics the loader, and every error carries a line.
        #[test]
        fn config_loader_never_panics(text in proptest::prop_oneof![
            ".{0,80}",
            r#"((default_profile|profiles|  [a-z]{1,5}|    (endpoint|org|org_id|token_file|proxy|bogus))(: ?[a-z0-9:/"'\[\]{}&*!|>-]{0,8})?\n){0,8}"#,
        ]) {
            if let Err(err) = parse_config(&text) {
                proptest::prop_assert!(err.location().is_some(), "no line for {:?}: {}", text, err);
            }
        }

        /// Whatever the file says, a profile's fields come back as written.
        #[test]
        fn profiles_round_trip(name in "[a-z][a-z0-9_-]{0,10}", org in "[A-Za-z0-9 ._-]{1,20}") {
            let text = format!("profiles:\n  {name}:\n    org: {:?}\n", org);
            let cfg = parse_config(&text).unwrap();
            proptest::prop_assert_eq!(cfg.profiles[&name].org.as_deref(), Some(org.as_str()));
        }
    }

    #[test]
    fn config_errors_name_the_line() {
        let err = parse_config("profiles:\n  dev:\n    endpont: x\n").unwrap_err();
        assert_eq!(err.location().unwrap().line(), 3);
        let cfg = parse_config("default_profile: dev\nprofiles:\n  dev:\n    org: acme\n").unwrap();
        assert_eq!(cfg.profiles["dev"].org.as_deref(), Some("acme"));
    }
}
