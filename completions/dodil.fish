# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_dodil_global_optspecs
    string join \n endpoint= profile= org= org-id= token-file= ca-cert= proxy= transport= insecure-allow-plaintext o/output= jq= q/quiet v/verbose color= h/help V/version
end

function __fish_dodil_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_dodil_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_dodil_using_subcommand
    set -l cmd (__fish_dodil_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c dodil -n "__fish_dodil_needs_command" -l endpoint -d 'Server to talk to: https://host[:port] (TLS), http://host:port (plaintext), or `embedded` (an in-process dev server) [default: https://rpc.dodil.io:443]' -r
complete -c dodil -n "__fish_dodil_needs_command" -l profile -d 'Profile of the config file to use (`staging` and `production` are built in)' -r
complete -c dodil -n "__fish_dodil_needs_command" -l org -d 'Organization name, sent as x-organization-name [env: DODIL_ORG, SCRIPTUM_ORG_NAME]' -r
complete -c dodil -n "__fish_dodil_needs_command" -l org-id -d 'Organization id, sent as x-organization-id' -r
complete -c dodil -n "__fish_dodil_needs_command" -l token-file -d 'File holding the bearer token (or set DODIL_TOKEN to the token itself, or store one with `dodil auth login`; a token is never taken as a command-line value)' -r -F
complete -c dodil -n "__fish_dodil_needs_command" -l ca-cert -d 'PEM file of a private CA to trust for TLS, in addition to the system\'s roots' -r -F
complete -c dodil -n "__fish_dodil_needs_command" -l proxy -d 'Proxy for every connection: http://HOST:PORT (CONNECT), socks5://HOST:PORT, socks5h://HOST:PORT, or `none`; overrides HTTPS_PROXY, ALL_PROXY and NO_PROXY (a password only in DODIL_PROXY) [env: DODIL_PROXY]' -r
complete -c dodil -n "__fish_dodil_needs_command" -l transport -d 'How calls travel: grpc (the default), or http: the HTTP gateway (/v1/scriptum/..., JSON bodies, HTTP/1.1 or HTTP/2), for proxies and load balancers that break gRPC' -r -f -a "grpc\t'gRPC over HTTP/2'
http\t'The HTTP gateway: JSON over HTTP/1.1 (HTTP/2 where TLS offers it)'"
complete -c dodil -n "__fish_dodil_needs_command" -s o -l output -d 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs' -r -f -a "table\t''
json\t''
yaml\t''
jsonl\t''"
complete -c dodil -n "__fish_dodil_needs_command" -l jq -d 'Filter the JSON output through a jq expression (implies -o json; with -o jsonl, each line as it is printed). Strings print raw, other values as compact JSON, one a line' -r
complete -c dodil -n "__fish_dodil_needs_command" -l color -d 'When to use colour on a terminal (NO_COLOR turns it off for `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c dodil -n "__fish_dodil_needs_command" -l insecure-allow-plaintext -d 'Allow sending a token over plaintext http:// to a host that is not loopback'
complete -c dodil -n "__fish_dodil_needs_command" -s q -l quiet -d 'Print less on stderr (errors only) [env: RUST_LOG=error]'
complete -c dodil -n "__fish_dodil_needs_command" -s v -l verbose -d 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]'
complete -c dodil -n "__fish_dodil_needs_command" -s h -l help -d 'Print help'
complete -c dodil -n "__fish_dodil_needs_command" -s V -l version -d 'Print version'
complete -c dodil -n "__fish_dodil_needs_command" -f -a "scriptum" -d 'Scripts and their threads on Dodil Scriptum'
complete -c dodil -n "__fish_dodil_needs_command" -f -a "auth" -d 'Sign in: keep a token in the platform\'s keyring, check it, forget it'
complete -c dodil -n "__fish_dodil_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c dodil -n "__fish_dodil_needs_command" -f -a "man" -d 'Print the man page (roff), or write one page per command into a directory'
complete -c dodil -n "__fish_dodil_needs_command" -f -a "options" -d 'Print the options every command accepts (--endpoint, --profile, -o, ...), in full'
complete -c dodil -n "__fish_dodil_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and not __fish_seen_subcommand_from thread dev-server verify help" -l endpoint -d 'Server to talk to: https://host[:port] (TLS), http://host:port (plaintext), or `embedded` (an in-process dev server) [default: https://rpc.dodil.io:443]' -r
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and not __fish_seen_subcommand_from thread dev-server verify help" -l profile -d 'Profile of the config file to use (`staging` and `production` are built in)' -r
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and not __fish_seen_subcommand_from thread dev-server verify help" -l org -d 'Organization name, sent as x-organization-name [env: DODIL_ORG, SCRIPTUM_ORG_NAME]' -r
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and not __fish_seen_subcommand_from thread dev-server verify help" -l org-id -d 'Organization id, sent as x-organization-id' -r
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and not __fish_seen_subcommand_from thread dev-server verify help" -l token-file -d 'File holding the bearer token (or set DODIL_TOKEN to the token itself, or store one with `dodil auth login`; a token is never taken as a command-line value)' -r -F
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and not __fish_seen_subcommand_from thread dev-server verify help" -l ca-cert -d 'PEM file of a private CA to trust for TLS, in addition to the system\'s roots' -r -F
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and not __fish_seen_subcommand_from thread dev-server verify help" -l proxy -d 'Proxy for every connection: http://HOST:PORT (CONNECT), socks5://HOST:PORT, socks5h://HOST:PORT, or `none`; overrides HTTPS_PROXY, ALL_PROXY and NO_PROXY (a password only in DODIL_PROXY) [env: DODIL_PROXY]' -r
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and not __fish_seen_subcommand_from thread dev-server verify help" -l transport -d 'How calls travel: grpc (the default), or http: the HTTP gateway (/v1/scriptum/..., JSON bodies, HTTP/1.1 or HTTP/2), for proxies and load balancers that break gRPC' -r -f -a "grpc\t'gRPC over HTTP/2'
http\t'The HTTP gateway: JSON over HTTP/1.1 (HTTP/2 where TLS offers it)'"
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and not __fish_seen_subcommand_from thread dev-server verify help" -s o -l output -d 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs' -r -f -a "table\t''
json\t''
yaml\t''
jsonl\t''"
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and not __fish_seen_subcommand_from thread dev-server verify help" -l jq -d 'Filter the JSON output through a jq expression (implies -o json; with -o jsonl, each line as it is printed). Strings print raw, other values as compact JSON, one a line' -r
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and not __fish_seen_subcommand_from thread dev-server verify help" -l color -d 'When to use colour on a terminal (NO_COLOR turns it off for `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and not __fish_seen_subcommand_from thread dev-server verify help" -l insecure-allow-plaintext -d 'Allow sending a token over plaintext http:// to a host that is not loopback'
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and not __fish_seen_subcommand_from thread dev-server verify help" -s q -l quiet -d 'Print less on stderr (errors only) [env: RUST_LOG=error]'
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and not __fish_seen_subcommand_from thread dev-server verify help" -s v -l verbose -d 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]'
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and not __fish_seen_subcommand_from thread dev-server verify help" -s h -l help -d 'Print help'
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and not __fish_seen_subcommand_from thread dev-server verify help" -f -a "thread" -d 'Create, follow and inspect threads (executions of a script)'
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and not __fish_seen_subcommand_from thread dev-server verify help" -f -a "dev-server" -d 'Run a local Scriptum simulator for tests and CI (demos, scenario files, fault switches)'
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and not __fish_seen_subcommand_from thread dev-server verify help" -f -a "verify" -d 'Check a --save directory against its summary.json: every listed file there, whole, unchanged'
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and not __fish_seen_subcommand_from thread dev-server verify help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from thread" -l endpoint -d 'Server to talk to: https://host[:port] (TLS), http://host:port (plaintext), or `embedded` (an in-process dev server) [default: https://rpc.dodil.io:443]' -r
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from thread" -l profile -d 'Profile of the config file to use (`staging` and `production` are built in)' -r
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from thread" -l org -d 'Organization name, sent as x-organization-name [env: DODIL_ORG, SCRIPTUM_ORG_NAME]' -r
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from thread" -l org-id -d 'Organization id, sent as x-organization-id' -r
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from thread" -l token-file -d 'File holding the bearer token (or set DODIL_TOKEN to the token itself, or store one with `dodil auth login`; a token is never taken as a command-line value)' -r -F
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from thread" -l ca-cert -d 'PEM file of a private CA to trust for TLS, in addition to the system\'s roots' -r -F
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from thread" -l proxy -d 'Proxy for every connection: http://HOST:PORT (CONNECT), socks5://HOST:PORT, socks5h://HOST:PORT, or `none`; overrides HTTPS_PROXY, ALL_PROXY and NO_PROXY (a password only in DODIL_PROXY) [env: DODIL_PROXY]' -r
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from thread" -l transport -d 'How calls travel: grpc (the default), or http: the HTTP gateway (/v1/scriptum/..., JSON bodies, HTTP/1.1 or HTTP/2), for proxies and load balancers that break gRPC' -r -f -a "grpc\t'gRPC over HTTP/2'
http\t'The HTTP gateway: JSON over HTTP/1.1 (HTTP/2 where TLS offers it)'"
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from thread" -s o -l output -d 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs' -r -f -a "table\t''
json\t''
yaml\t''
jsonl\t''"
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from thread" -l jq -d 'Filter the JSON output through a jq expression (implies -o json; with -o jsonl, each line as it is printed). Strings print raw, other values as compact JSON, one a line' -r
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from thread" -l color -d 'When to use colour on a terminal (NO_COLOR turns it off for `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from thread" -l insecure-allow-plaintext -d 'Allow sending a token over plaintext http:// to a host that is not loopback'
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from thread" -s q -l quiet -d 'Print less on stderr (errors only) [env: RUST_LOG=error]'
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from thread" -s v -l verbose -d 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]'
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from thread" -s h -l help -d 'Print help'
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from thread" -f -a "create" -d 'Start a thread and print its id at once, without waiting for it'
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from thread" -f -a "run" -d 'Start a thread and follow it to the end; the exit code tells how it ended'
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from thread" -f -a "watch" -d 'Follow an existing thread to the end (or report it, if it has ended)'
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from thread" -f -a "get" -d 'Show a thread\'s status and progress'
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from thread" -f -a "list" -d 'List recent threads, newest first'
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from thread" -f -a "result" -d 'Print a thread\'s final output (streamed in full when large), or save it with its steps'
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from thread" -f -a "steps" -d 'Show a thread\'s steps as a tree, one step in detail, or every step\'s full input/output'
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from thread" -f -a "resume" -d 'Resume a paused thread (or retry a failed one), optionally with a new input for its step'
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from thread" -f -a "cancel" -d 'Cancel a running thread'
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from thread" -f -a "artifacts" -d 'List the files a thread produced, or download them'
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from thread" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from dev-server" -l listen -d 'Address to listen on; port 0 picks a free one (the first stdout line says which)' -r
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from dev-server" -l token-file -d 'Require `authorization: Bearer <token>` on every call, the token read from this file [env: DODIL_DEVSERVER_TOKEN holds the token itself]' -r -F
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from dev-server" -l token -d 'Require this bearer token. For local testing only: other users can read argv; prefer --token-file or DODIL_DEVSERVER_TOKEN' -r
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from dev-server" -l data-dir -d 'Persist threads in this directory [default: $DODIL_DATA_DIR, else <platform data dir>/dodil/devserver, shared with --endpoint embedded]' -r -F
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from dev-server" -l tls-cert -d 'Serve TLS with this PEM certificate (chain) instead of a generated one; needs --tls-key' -r -F
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from dev-server" -l tls-key -d 'The PEM private key of --tls-cert' -r -F
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from dev-server" -l speed -d 'Time scale: 10 runs every script ten times faster' -r
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from dev-server" -l scripts -d 'Load scenario files (*.yaml) from this directory (see the README for the format)' -r -F
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from dev-server" -l artifacts -d 'Make ListArtifacts list this directory\'s files, downloadable from a local HTTP server (the real service answers UNIMPLEMENTED)' -r -F
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from dev-server" -l compress -d 'Compress every answer with this encoding when the client accepts it' -r -f -a "gzip\t''
zstd\t''"
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from dev-server" -l faults -d 'Fault switches in the DODIL_DEVSERVER_FAULTS grammar, e.g. `watch-drop-after=3,unavailable=GetThread:2`; adds to the --fault-* flags. The HTTP gateway\'s are only here: http-html-error=METHOD (a proxy\'s 502 HTML page), http-non-json=METHOD (a 200 of plain text), http-truncate=METHOD (the body cut in half)' -r
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from dev-server" -l fault-watch-drop-after -d 'Every watch stream ends (no terminal event) after N live events past its catch-up' -r
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from dev-server" -l fault-unavailable -d 'The first N calls of METHOD (an RPC name, or * for each) answer UNAVAILABLE; repeatable' -r
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from dev-server" -l fault-latency-ms -d 'Every call waits this many milliseconds before it is answered' -r
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from dev-server" -l fault-chunk-skip -d 'Result streams never send chunk K' -r
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from dev-server" -l fault-chunk-repeat -d 'Result streams send chunk K twice' -r
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from dev-server" -l fault-chunk-reorder -d 'Result streams send chunk K+1 before chunk K' -r
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from dev-server" -l fault-chunk-short -d 'Result streams send only half of chunk K\'s bytes' -r
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from dev-server" -l endpoint -d 'Server to talk to: https://host[:port] (TLS), http://host:port (plaintext), or `embedded` (an in-process dev server) [default: https://rpc.dodil.io:443]' -r
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from dev-server" -l profile -d 'Profile of the config file to use (`staging` and `production` are built in)' -r
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from dev-server" -l org -d 'Organization name, sent as x-organization-name [env: DODIL_ORG, SCRIPTUM_ORG_NAME]' -r
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from dev-server" -l org-id -d 'Organization id, sent as x-organization-id' -r
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from dev-server" -l ca-cert -d 'PEM file of a private CA to trust for TLS, in addition to the system\'s roots' -r -F
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from dev-server" -l proxy -d 'Proxy for every connection: http://HOST:PORT (CONNECT), socks5://HOST:PORT, socks5h://HOST:PORT, or `none`; overrides HTTPS_PROXY, ALL_PROXY and NO_PROXY (a password only in DODIL_PROXY) [env: DODIL_PROXY]' -r
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from dev-server" -l transport -d 'How calls travel: grpc (the default), or http: the HTTP gateway (/v1/scriptum/..., JSON bodies, HTTP/1.1 or HTTP/2), for proxies and load balancers that break gRPC' -r -f -a "grpc\t'gRPC over HTTP/2'
http\t'The HTTP gateway: JSON over HTTP/1.1 (HTTP/2 where TLS offers it)'"
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from dev-server" -s o -l output -d 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs' -r -f -a "table\t''
json\t''
yaml\t''
jsonl\t''"
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from dev-server" -l jq -d 'Filter the JSON output through a jq expression (implies -o json; with -o jsonl, each line as it is printed). Strings print raw, other values as compact JSON, one a line' -r
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from dev-server" -l color -d 'When to use colour on a terminal (NO_COLOR turns it off for `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from dev-server" -l ephemeral -d 'Keep threads in memory only; they vanish when the server stops'
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from dev-server" -l tls -d 'Serve TLS (https://) with a certificate made at start for localhost, 127.0.0.1 and ::1; the second stdout line names its CA\'s PEM file, for a client\'s --ca-cert'
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from dev-server" -l implement-cancel -d 'Make CancelThread work (the real service answers UNIMPLEMENTED)'
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from dev-server" -l fault-watch-no-terminal -d 'Watch streams end where the terminal event would be, without sending it'
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from dev-server" -l fault-watch-unimplemented -d 'WatchThread and WatchStep answer UNIMPLEMENTED'
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from dev-server" -l fault-page-repeat -d 'ListThreads hands back the page token it was given instead of the next one'
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from dev-server" -l fault-chunk-no-final -d 'Result streams never set is_final'
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from dev-server" -l fault-chunk-extra -d 'Result streams send one more chunk after the final one'
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from dev-server" -l fault-meta-total-mismatch -d 'StreamThreadResult\'s meta total_bytes is 1000 more than the chunks carry'
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from dev-server" -l fault-result-total-mismatch -d 'GetThreadResult\'s output_total_bytes is 1000 more than the stream delivers'
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from dev-server" -l fault-bad-enums -d 'Every status is 42 (outside the contract); WatchThread adds an event with no variant'
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from dev-server" -l fault-hostile-names -d 'Step paths and names carry terminal escapes, `..`, `/abs`, `a/b` and NUL'
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from dev-server" -l fault-huge-message -d 'GetThreadResult returns the whole output uncapped and StreamThreadResult sends it as one message (for max-message-size tests)'
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from dev-server" -l insecure-allow-plaintext -d 'Allow sending a token over plaintext http:// to a host that is not loopback'
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from dev-server" -s q -l quiet -d 'Print less on stderr (errors only) [env: RUST_LOG=error]'
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from dev-server" -s v -l verbose -d 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]'
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from dev-server" -s h -l help -d 'Print help'
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from verify" -l endpoint -d 'Server to talk to: https://host[:port] (TLS), http://host:port (plaintext), or `embedded` (an in-process dev server) [default: https://rpc.dodil.io:443]' -r
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from verify" -l profile -d 'Profile of the config file to use (`staging` and `production` are built in)' -r
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from verify" -l org -d 'Organization name, sent as x-organization-name [env: DODIL_ORG, SCRIPTUM_ORG_NAME]' -r
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from verify" -l org-id -d 'Organization id, sent as x-organization-id' -r
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from verify" -l token-file -d 'File holding the bearer token (or set DODIL_TOKEN to the token itself, or store one with `dodil auth login`; a token is never taken as a command-line value)' -r -F
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from verify" -l ca-cert -d 'PEM file of a private CA to trust for TLS, in addition to the system\'s roots' -r -F
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from verify" -l proxy -d 'Proxy for every connection: http://HOST:PORT (CONNECT), socks5://HOST:PORT, socks5h://HOST:PORT, or `none`; overrides HTTPS_PROXY, ALL_PROXY and NO_PROXY (a password only in DODIL_PROXY) [env: DODIL_PROXY]' -r
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from verify" -l transport -d 'How calls travel: grpc (the default), or http: the HTTP gateway (/v1/scriptum/..., JSON bodies, HTTP/1.1 or HTTP/2), for proxies and load balancers that break gRPC' -r -f -a "grpc\t'gRPC over HTTP/2'
http\t'The HTTP gateway: JSON over HTTP/1.1 (HTTP/2 where TLS offers it)'"
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from verify" -s o -l output -d 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs' -r -f -a "table\t''
json\t''
yaml\t''
jsonl\t''"
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from verify" -l jq -d 'Filter the JSON output through a jq expression (implies -o json; with -o jsonl, each line as it is printed). Strings print raw, other values as compact JSON, one a line' -r
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from verify" -l color -d 'When to use colour on a terminal (NO_COLOR turns it off for `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from verify" -l insecure-allow-plaintext -d 'Allow sending a token over plaintext http:// to a host that is not loopback'
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from verify" -s q -l quiet -d 'Print less on stderr (errors only) [env: RUST_LOG=error]'
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from verify" -s v -l verbose -d 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]'
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from verify" -s h -l help -d 'Print help'
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from help" -f -a "thread" -d 'Create, follow and inspect threads (executions of a script)'
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from help" -f -a "dev-server" -d 'Run a local Scriptum simulator for tests and CI (demos, scenario files, fault switches)'
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from help" -f -a "verify" -d 'Check a --save directory against its summary.json: every listed file there, whole, unchanged'
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dodil -n "__fish_dodil_using_subcommand auth; and not __fish_seen_subcommand_from login status logout help" -l endpoint -d 'Server to talk to: https://host[:port] (TLS), http://host:port (plaintext), or `embedded` (an in-process dev server) [default: https://rpc.dodil.io:443]' -r
complete -c dodil -n "__fish_dodil_using_subcommand auth; and not __fish_seen_subcommand_from login status logout help" -l profile -d 'Profile of the config file to use (`staging` and `production` are built in)' -r
complete -c dodil -n "__fish_dodil_using_subcommand auth; and not __fish_seen_subcommand_from login status logout help" -l org -d 'Organization name, sent as x-organization-name [env: DODIL_ORG, SCRIPTUM_ORG_NAME]' -r
complete -c dodil -n "__fish_dodil_using_subcommand auth; and not __fish_seen_subcommand_from login status logout help" -l org-id -d 'Organization id, sent as x-organization-id' -r
complete -c dodil -n "__fish_dodil_using_subcommand auth; and not __fish_seen_subcommand_from login status logout help" -l token-file -d 'File holding the bearer token (or set DODIL_TOKEN to the token itself, or store one with `dodil auth login`; a token is never taken as a command-line value)' -r -F
complete -c dodil -n "__fish_dodil_using_subcommand auth; and not __fish_seen_subcommand_from login status logout help" -l ca-cert -d 'PEM file of a private CA to trust for TLS, in addition to the system\'s roots' -r -F
complete -c dodil -n "__fish_dodil_using_subcommand auth; and not __fish_seen_subcommand_from login status logout help" -l proxy -d 'Proxy for every connection: http://HOST:PORT (CONNECT), socks5://HOST:PORT, socks5h://HOST:PORT, or `none`; overrides HTTPS_PROXY, ALL_PROXY and NO_PROXY (a password only in DODIL_PROXY) [env: DODIL_PROXY]' -r
complete -c dodil -n "__fish_dodil_using_subcommand auth; and not __fish_seen_subcommand_from login status logout help" -l transport -d 'How calls travel: grpc (the default), or http: the HTTP gateway (/v1/scriptum/..., JSON bodies, HTTP/1.1 or HTTP/2), for proxies and load balancers that break gRPC' -r -f -a "grpc\t'gRPC over HTTP/2'
http\t'The HTTP gateway: JSON over HTTP/1.1 (HTTP/2 where TLS offers it)'"
complete -c dodil -n "__fish_dodil_using_subcommand auth; and not __fish_seen_subcommand_from login status logout help" -s o -l output -d 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs' -r -f -a "table\t''
json\t''
yaml\t''
jsonl\t''"
complete -c dodil -n "__fish_dodil_using_subcommand auth; and not __fish_seen_subcommand_from login status logout help" -l jq -d 'Filter the JSON output through a jq expression (implies -o json; with -o jsonl, each line as it is printed). Strings print raw, other values as compact JSON, one a line' -r
complete -c dodil -n "__fish_dodil_using_subcommand auth; and not __fish_seen_subcommand_from login status logout help" -l color -d 'When to use colour on a terminal (NO_COLOR turns it off for `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c dodil -n "__fish_dodil_using_subcommand auth; and not __fish_seen_subcommand_from login status logout help" -l insecure-allow-plaintext -d 'Allow sending a token over plaintext http:// to a host that is not loopback'
complete -c dodil -n "__fish_dodil_using_subcommand auth; and not __fish_seen_subcommand_from login status logout help" -s q -l quiet -d 'Print less on stderr (errors only) [env: RUST_LOG=error]'
complete -c dodil -n "__fish_dodil_using_subcommand auth; and not __fish_seen_subcommand_from login status logout help" -s v -l verbose -d 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]'
complete -c dodil -n "__fish_dodil_using_subcommand auth; and not __fish_seen_subcommand_from login status logout help" -s h -l help -d 'Print help'
complete -c dodil -n "__fish_dodil_using_subcommand auth; and not __fish_seen_subcommand_from login status logout help" -f -a "login" -d 'Read a token from stdin and keep it for this profile and endpoint in the platform\'s keyring (a file of mode 0600 where none answers)'
complete -c dodil -n "__fish_dodil_using_subcommand auth; and not __fish_seen_subcommand_from login status logout help" -f -a "status" -d 'Say where the token comes from and whether the server accepts it (never the token)'
complete -c dodil -n "__fish_dodil_using_subcommand auth; and not __fish_seen_subcommand_from login status logout help" -f -a "logout" -d 'Forget the token stored for this profile and endpoint (keyring entry and file)'
complete -c dodil -n "__fish_dodil_using_subcommand auth; and not __fish_seen_subcommand_from login status logout help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dodil -n "__fish_dodil_using_subcommand auth; and __fish_seen_subcommand_from login" -l endpoint -d 'Server to talk to: https://host[:port] (TLS), http://host:port (plaintext), or `embedded` (an in-process dev server) [default: https://rpc.dodil.io:443]' -r
complete -c dodil -n "__fish_dodil_using_subcommand auth; and __fish_seen_subcommand_from login" -l profile -d 'Profile of the config file to use (`staging` and `production` are built in)' -r
complete -c dodil -n "__fish_dodil_using_subcommand auth; and __fish_seen_subcommand_from login" -l org -d 'Organization name, sent as x-organization-name [env: DODIL_ORG, SCRIPTUM_ORG_NAME]' -r
complete -c dodil -n "__fish_dodil_using_subcommand auth; and __fish_seen_subcommand_from login" -l org-id -d 'Organization id, sent as x-organization-id' -r
complete -c dodil -n "__fish_dodil_using_subcommand auth; and __fish_seen_subcommand_from login" -l token-file -d 'File holding the bearer token (or set DODIL_TOKEN to the token itself, or store one with `dodil auth login`; a token is never taken as a command-line value)' -r -F
complete -c dodil -n "__fish_dodil_using_subcommand auth; and __fish_seen_subcommand_from login" -l ca-cert -d 'PEM file of a private CA to trust for TLS, in addition to the system\'s roots' -r -F
complete -c dodil -n "__fish_dodil_using_subcommand auth; and __fish_seen_subcommand_from login" -l proxy -d 'Proxy for every connection: http://HOST:PORT (CONNECT), socks5://HOST:PORT, socks5h://HOST:PORT, or `none`; overrides HTTPS_PROXY, ALL_PROXY and NO_PROXY (a password only in DODIL_PROXY) [env: DODIL_PROXY]' -r
complete -c dodil -n "__fish_dodil_using_subcommand auth; and __fish_seen_subcommand_from login" -l transport -d 'How calls travel: grpc (the default), or http: the HTTP gateway (/v1/scriptum/..., JSON bodies, HTTP/1.1 or HTTP/2), for proxies and load balancers that break gRPC' -r -f -a "grpc\t'gRPC over HTTP/2'
http\t'The HTTP gateway: JSON over HTTP/1.1 (HTTP/2 where TLS offers it)'"
complete -c dodil -n "__fish_dodil_using_subcommand auth; and __fish_seen_subcommand_from login" -s o -l output -d 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs' -r -f -a "table\t''
json\t''
yaml\t''
jsonl\t''"
complete -c dodil -n "__fish_dodil_using_subcommand auth; and __fish_seen_subcommand_from login" -l jq -d 'Filter the JSON output through a jq expression (implies -o json; with -o jsonl, each line as it is printed). Strings print raw, other values as compact JSON, one a line' -r
complete -c dodil -n "__fish_dodil_using_subcommand auth; and __fish_seen_subcommand_from login" -l color -d 'When to use colour on a terminal (NO_COLOR turns it off for `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c dodil -n "__fish_dodil_using_subcommand auth; and __fish_seen_subcommand_from login" -l with-token -d 'Read the token from stdin, one line (without it, stdin is read too when it is not a terminal)'
complete -c dodil -n "__fish_dodil_using_subcommand auth; and __fish_seen_subcommand_from login" -l insecure-allow-plaintext -d 'Allow sending a token over plaintext http:// to a host that is not loopback'
complete -c dodil -n "__fish_dodil_using_subcommand auth; and __fish_seen_subcommand_from login" -s q -l quiet -d 'Print less on stderr (errors only) [env: RUST_LOG=error]'
complete -c dodil -n "__fish_dodil_using_subcommand auth; and __fish_seen_subcommand_from login" -s v -l verbose -d 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]'
complete -c dodil -n "__fish_dodil_using_subcommand auth; and __fish_seen_subcommand_from login" -s h -l help -d 'Print help'
complete -c dodil -n "__fish_dodil_using_subcommand auth; and __fish_seen_subcommand_from status" -l endpoint -d 'Server to talk to: https://host[:port] (TLS), http://host:port (plaintext), or `embedded` (an in-process dev server) [default: https://rpc.dodil.io:443]' -r
complete -c dodil -n "__fish_dodil_using_subcommand auth; and __fish_seen_subcommand_from status" -l profile -d 'Profile of the config file to use (`staging` and `production` are built in)' -r
complete -c dodil -n "__fish_dodil_using_subcommand auth; and __fish_seen_subcommand_from status" -l org -d 'Organization name, sent as x-organization-name [env: DODIL_ORG, SCRIPTUM_ORG_NAME]' -r
complete -c dodil -n "__fish_dodil_using_subcommand auth; and __fish_seen_subcommand_from status" -l org-id -d 'Organization id, sent as x-organization-id' -r
complete -c dodil -n "__fish_dodil_using_subcommand auth; and __fish_seen_subcommand_from status" -l token-file -d 'File holding the bearer token (or set DODIL_TOKEN to the token itself, or store one with `dodil auth login`; a token is never taken as a command-line value)' -r -F
complete -c dodil -n "__fish_dodil_using_subcommand auth; and __fish_seen_subcommand_from status" -l ca-cert -d 'PEM file of a private CA to trust for TLS, in addition to the system\'s roots' -r -F
complete -c dodil -n "__fish_dodil_using_subcommand auth; and __fish_seen_subcommand_from status" -l proxy -d 'Proxy for every connection: http://HOST:PORT (CONNECT), socks5://HOST:PORT, socks5h://HOST:PORT, or `none`; overrides HTTPS_PROXY, ALL_PROXY and NO_PROXY (a password only in DODIL_PROXY) [env: DODIL_PROXY]' -r
complete -c dodil -n "__fish_dodil_using_subcommand auth; and __fish_seen_subcommand_from status" -l transport -d 'How calls travel: grpc (the default), or http: the HTTP gateway (/v1/scriptum/..., JSON bodies, HTTP/1.1 or HTTP/2), for proxies and load balancers that break gRPC' -r -f -a "grpc\t'gRPC over HTTP/2'
http\t'The HTTP gateway: JSON over HTTP/1.1 (HTTP/2 where TLS offers it)'"
complete -c dodil -n "__fish_dodil_using_subcommand auth; and __fish_seen_subcommand_from status" -s o -l output -d 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs' -r -f -a "table\t''
json\t''
yaml\t''
jsonl\t''"
complete -c dodil -n "__fish_dodil_using_subcommand auth; and __fish_seen_subcommand_from status" -l jq -d 'Filter the JSON output through a jq expression (implies -o json; with -o jsonl, each line as it is printed). Strings print raw, other values as compact JSON, one a line' -r
complete -c dodil -n "__fish_dodil_using_subcommand auth; and __fish_seen_subcommand_from status" -l color -d 'When to use colour on a terminal (NO_COLOR turns it off for `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c dodil -n "__fish_dodil_using_subcommand auth; and __fish_seen_subcommand_from status" -l insecure-allow-plaintext -d 'Allow sending a token over plaintext http:// to a host that is not loopback'
complete -c dodil -n "__fish_dodil_using_subcommand auth; and __fish_seen_subcommand_from status" -s q -l quiet -d 'Print less on stderr (errors only) [env: RUST_LOG=error]'
complete -c dodil -n "__fish_dodil_using_subcommand auth; and __fish_seen_subcommand_from status" -s v -l verbose -d 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]'
complete -c dodil -n "__fish_dodil_using_subcommand auth; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help'
complete -c dodil -n "__fish_dodil_using_subcommand auth; and __fish_seen_subcommand_from logout" -l endpoint -d 'Server to talk to: https://host[:port] (TLS), http://host:port (plaintext), or `embedded` (an in-process dev server) [default: https://rpc.dodil.io:443]' -r
complete -c dodil -n "__fish_dodil_using_subcommand auth; and __fish_seen_subcommand_from logout" -l profile -d 'Profile of the config file to use (`staging` and `production` are built in)' -r
complete -c dodil -n "__fish_dodil_using_subcommand auth; and __fish_seen_subcommand_from logout" -l org -d 'Organization name, sent as x-organization-name [env: DODIL_ORG, SCRIPTUM_ORG_NAME]' -r
complete -c dodil -n "__fish_dodil_using_subcommand auth; and __fish_seen_subcommand_from logout" -l org-id -d 'Organization id, sent as x-organization-id' -r
complete -c dodil -n "__fish_dodil_using_subcommand auth; and __fish_seen_subcommand_from logout" -l token-file -d 'File holding the bearer token (or set DODIL_TOKEN to the token itself, or store one with `dodil auth login`; a token is never taken as a command-line value)' -r -F
complete -c dodil -n "__fish_dodil_using_subcommand auth; and __fish_seen_subcommand_from logout" -l ca-cert -d 'PEM file of a private CA to trust for TLS, in addition to the system\'s roots' -r -F
complete -c dodil -n "__fish_dodil_using_subcommand auth; and __fish_seen_subcommand_from logout" -l proxy -d 'Proxy for every connection: http://HOST:PORT (CONNECT), socks5://HOST:PORT, socks5h://HOST:PORT, or `none`; overrides HTTPS_PROXY, ALL_PROXY and NO_PROXY (a password only in DODIL_PROXY) [env: DODIL_PROXY]' -r
complete -c dodil -n "__fish_dodil_using_subcommand auth; and __fish_seen_subcommand_from logout" -l transport -d 'How calls travel: grpc (the default), or http: the HTTP gateway (/v1/scriptum/..., JSON bodies, HTTP/1.1 or HTTP/2), for proxies and load balancers that break gRPC' -r -f -a "grpc\t'gRPC over HTTP/2'
http\t'The HTTP gateway: JSON over HTTP/1.1 (HTTP/2 where TLS offers it)'"
complete -c dodil -n "__fish_dodil_using_subcommand auth; and __fish_seen_subcommand_from logout" -s o -l output -d 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs' -r -f -a "table\t''
json\t''
yaml\t''
jsonl\t''"
complete -c dodil -n "__fish_dodil_using_subcommand auth; and __fish_seen_subcommand_from logout" -l jq -d 'Filter the JSON output through a jq expression (implies -o json; with -o jsonl, each line as it is printed). Strings print raw, other values as compact JSON, one a line' -r
complete -c dodil -n "__fish_dodil_using_subcommand auth; and __fish_seen_subcommand_from logout" -l color -d 'When to use colour on a terminal (NO_COLOR turns it off for `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c dodil -n "__fish_dodil_using_subcommand auth; and __fish_seen_subcommand_from logout" -l insecure-allow-plaintext -d 'Allow sending a token over plaintext http:// to a host that is not loopback'
complete -c dodil -n "__fish_dodil_using_subcommand auth; and __fish_seen_subcommand_from logout" -s q -l quiet -d 'Print less on stderr (errors only) [env: RUST_LOG=error]'
complete -c dodil -n "__fish_dodil_using_subcommand auth; and __fish_seen_subcommand_from logout" -s v -l verbose -d 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]'
complete -c dodil -n "__fish_dodil_using_subcommand auth; and __fish_seen_subcommand_from logout" -s h -l help -d 'Print help'
complete -c dodil -n "__fish_dodil_using_subcommand auth; and __fish_seen_subcommand_from help" -f -a "login" -d 'Read a token from stdin and keep it for this profile and endpoint in the platform\'s keyring (a file of mode 0600 where none answers)'
complete -c dodil -n "__fish_dodil_using_subcommand auth; and __fish_seen_subcommand_from help" -f -a "status" -d 'Say where the token comes from and whether the server accepts it (never the token)'
complete -c dodil -n "__fish_dodil_using_subcommand auth; and __fish_seen_subcommand_from help" -f -a "logout" -d 'Forget the token stored for this profile and endpoint (keyring entry and file)'
complete -c dodil -n "__fish_dodil_using_subcommand auth; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dodil -n "__fish_dodil_using_subcommand completions" -l endpoint -d 'Server to talk to: https://host[:port] (TLS), http://host:port (plaintext), or `embedded` (an in-process dev server) [default: https://rpc.dodil.io:443]' -r
complete -c dodil -n "__fish_dodil_using_subcommand completions" -l profile -d 'Profile of the config file to use (`staging` and `production` are built in)' -r
complete -c dodil -n "__fish_dodil_using_subcommand completions" -l org -d 'Organization name, sent as x-organization-name [env: DODIL_ORG, SCRIPTUM_ORG_NAME]' -r
complete -c dodil -n "__fish_dodil_using_subcommand completions" -l org-id -d 'Organization id, sent as x-organization-id' -r
complete -c dodil -n "__fish_dodil_using_subcommand completions" -l token-file -d 'File holding the bearer token (or set DODIL_TOKEN to the token itself, or store one with `dodil auth login`; a token is never taken as a command-line value)' -r -F
complete -c dodil -n "__fish_dodil_using_subcommand completions" -l ca-cert -d 'PEM file of a private CA to trust for TLS, in addition to the system\'s roots' -r -F
complete -c dodil -n "__fish_dodil_using_subcommand completions" -l proxy -d 'Proxy for every connection: http://HOST:PORT (CONNECT), socks5://HOST:PORT, socks5h://HOST:PORT, or `none`; overrides HTTPS_PROXY, ALL_PROXY and NO_PROXY (a password only in DODIL_PROXY) [env: DODIL_PROXY]' -r
complete -c dodil -n "__fish_dodil_using_subcommand completions" -l transport -d 'How calls travel: grpc (the default), or http: the HTTP gateway (/v1/scriptum/..., JSON bodies, HTTP/1.1 or HTTP/2), for proxies and load balancers that break gRPC' -r -f -a "grpc\t'gRPC over HTTP/2'
http\t'The HTTP gateway: JSON over HTTP/1.1 (HTTP/2 where TLS offers it)'"
complete -c dodil -n "__fish_dodil_using_subcommand completions" -s o -l output -d 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs' -r -f -a "table\t''
json\t''
yaml\t''
jsonl\t''"
complete -c dodil -n "__fish_dodil_using_subcommand completions" -l jq -d 'Filter the JSON output through a jq expression (implies -o json; with -o jsonl, each line as it is printed). Strings print raw, other values as compact JSON, one a line' -r
complete -c dodil -n "__fish_dodil_using_subcommand completions" -l color -d 'When to use colour on a terminal (NO_COLOR turns it off for `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c dodil -n "__fish_dodil_using_subcommand completions" -l insecure-allow-plaintext -d 'Allow sending a token over plaintext http:// to a host that is not loopback'
complete -c dodil -n "__fish_dodil_using_subcommand completions" -s q -l quiet -d 'Print less on stderr (errors only) [env: RUST_LOG=error]'
complete -c dodil -n "__fish_dodil_using_subcommand completions" -s v -l verbose -d 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]'
complete -c dodil -n "__fish_dodil_using_subcommand completions" -s h -l help -d 'Print help'
complete -c dodil -n "__fish_dodil_using_subcommand man" -l dir -d 'Write dodil.1 and one page per command (dodil-scriptum-thread-get.1, ...) into DIR' -r -F
complete -c dodil -n "__fish_dodil_using_subcommand man" -l endpoint -d 'Server to talk to: https://host[:port] (TLS), http://host:port (plaintext), or `embedded` (an in-process dev server) [default: https://rpc.dodil.io:443]' -r
complete -c dodil -n "__fish_dodil_using_subcommand man" -l profile -d 'Profile of the config file to use (`staging` and `production` are built in)' -r
complete -c dodil -n "__fish_dodil_using_subcommand man" -l org -d 'Organization name, sent as x-organization-name [env: DODIL_ORG, SCRIPTUM_ORG_NAME]' -r
complete -c dodil -n "__fish_dodil_using_subcommand man" -l org-id -d 'Organization id, sent as x-organization-id' -r
complete -c dodil -n "__fish_dodil_using_subcommand man" -l token-file -d 'File holding the bearer token (or set DODIL_TOKEN to the token itself, or store one with `dodil auth login`; a token is never taken as a command-line value)' -r -F
complete -c dodil -n "__fish_dodil_using_subcommand man" -l ca-cert -d 'PEM file of a private CA to trust for TLS, in addition to the system\'s roots' -r -F
complete -c dodil -n "__fish_dodil_using_subcommand man" -l proxy -d 'Proxy for every connection: http://HOST:PORT (CONNECT), socks5://HOST:PORT, socks5h://HOST:PORT, or `none`; overrides HTTPS_PROXY, ALL_PROXY and NO_PROXY (a password only in DODIL_PROXY) [env: DODIL_PROXY]' -r
complete -c dodil -n "__fish_dodil_using_subcommand man" -l transport -d 'How calls travel: grpc (the default), or http: the HTTP gateway (/v1/scriptum/..., JSON bodies, HTTP/1.1 or HTTP/2), for proxies and load balancers that break gRPC' -r -f -a "grpc\t'gRPC over HTTP/2'
http\t'The HTTP gateway: JSON over HTTP/1.1 (HTTP/2 where TLS offers it)'"
complete -c dodil -n "__fish_dodil_using_subcommand man" -s o -l output -d 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs' -r -f -a "table\t''
json\t''
yaml\t''
jsonl\t''"
complete -c dodil -n "__fish_dodil_using_subcommand man" -l jq -d 'Filter the JSON output through a jq expression (implies -o json; with -o jsonl, each line as it is printed). Strings print raw, other values as compact JSON, one a line' -r
complete -c dodil -n "__fish_dodil_using_subcommand man" -l color -d 'When to use colour on a terminal (NO_COLOR turns it off for `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c dodil -n "__fish_dodil_using_subcommand man" -l insecure-allow-plaintext -d 'Allow sending a token over plaintext http:// to a host that is not loopback'
complete -c dodil -n "__fish_dodil_using_subcommand man" -s q -l quiet -d 'Print less on stderr (errors only) [env: RUST_LOG=error]'
complete -c dodil -n "__fish_dodil_using_subcommand man" -s v -l verbose -d 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]'
complete -c dodil -n "__fish_dodil_using_subcommand man" -s h -l help -d 'Print help'
complete -c dodil -n "__fish_dodil_using_subcommand options" -l endpoint -d 'Server to talk to: https://host[:port] (TLS), http://host:port (plaintext), or `embedded` (an in-process dev server) [default: https://rpc.dodil.io:443]' -r
complete -c dodil -n "__fish_dodil_using_subcommand options" -l profile -d 'Profile of the config file to use (`staging` and `production` are built in)' -r
complete -c dodil -n "__fish_dodil_using_subcommand options" -l org -d 'Organization name, sent as x-organization-name [env: DODIL_ORG, SCRIPTUM_ORG_NAME]' -r
complete -c dodil -n "__fish_dodil_using_subcommand options" -l org-id -d 'Organization id, sent as x-organization-id' -r
complete -c dodil -n "__fish_dodil_using_subcommand options" -l token-file -d 'File holding the bearer token (or set DODIL_TOKEN to the token itself, or store one with `dodil auth login`; a token is never taken as a command-line value)' -r -F
complete -c dodil -n "__fish_dodil_using_subcommand options" -l ca-cert -d 'PEM file of a private CA to trust for TLS, in addition to the system\'s roots' -r -F
complete -c dodil -n "__fish_dodil_using_subcommand options" -l proxy -d 'Proxy for every connection: http://HOST:PORT (CONNECT), socks5://HOST:PORT, socks5h://HOST:PORT, or `none`; overrides HTTPS_PROXY, ALL_PROXY and NO_PROXY (a password only in DODIL_PROXY) [env: DODIL_PROXY]' -r
complete -c dodil -n "__fish_dodil_using_subcommand options" -l transport -d 'How calls travel: grpc (the default), or http: the HTTP gateway (/v1/scriptum/..., JSON bodies, HTTP/1.1 or HTTP/2), for proxies and load balancers that break gRPC' -r -f -a "grpc\t'gRPC over HTTP/2'
http\t'The HTTP gateway: JSON over HTTP/1.1 (HTTP/2 where TLS offers it)'"
complete -c dodil -n "__fish_dodil_using_subcommand options" -s o -l output -d 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs' -r -f -a "table\t''
json\t''
yaml\t''
jsonl\t''"
complete -c dodil -n "__fish_dodil_using_subcommand options" -l jq -d 'Filter the JSON output through a jq expression (implies -o json; with -o jsonl, each line as it is printed). Strings print raw, other values as compact JSON, one a line' -r
complete -c dodil -n "__fish_dodil_using_subcommand options" -l color -d 'When to use colour on a terminal (NO_COLOR turns it off for `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c dodil -n "__fish_dodil_using_subcommand options" -l insecure-allow-plaintext -d 'Allow sending a token over plaintext http:// to a host that is not loopback'
complete -c dodil -n "__fish_dodil_using_subcommand options" -s q -l quiet -d 'Print less on stderr (errors only) [env: RUST_LOG=error]'
complete -c dodil -n "__fish_dodil_using_subcommand options" -s v -l verbose -d 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]'
complete -c dodil -n "__fish_dodil_using_subcommand options" -s h -l help -d 'Print help'
complete -c dodil -n "__fish_dodil_using_subcommand help; and not __fish_seen_subcommand_from scriptum auth completions man options help" -f -a "scriptum" -d 'Scripts and their threads on Dodil Scriptum'
complete -c dodil -n "__fish_dodil_using_subcommand help; and not __fish_seen_subcommand_from scriptum auth completions man options help" -f -a "auth" -d 'Sign in: keep a token in the platform\'s keyring, check it, forget it'
complete -c dodil -n "__fish_dodil_using_subcommand help; and not __fish_seen_subcommand_from scriptum auth completions man options help" -f -a "completions" -d 'Print a shell completion script'
complete -c dodil -n "__fish_dodil_using_subcommand help; and not __fish_seen_subcommand_from scriptum auth completions man options help" -f -a "man" -d 'Print the man page (roff), or write one page per command into a directory'
complete -c dodil -n "__fish_dodil_using_subcommand help; and not __fish_seen_subcommand_from scriptum auth completions man options help" -f -a "options" -d 'Print the options every command accepts (--endpoint, --profile, -o, ...), in full'
complete -c dodil -n "__fish_dodil_using_subcommand help; and not __fish_seen_subcommand_from scriptum auth completions man options help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dodil -n "__fish_dodil_using_subcommand help; and __fish_seen_subcommand_from scriptum" -f -a "thread" -d 'Create, follow and inspect threads (executions of a script)'
complete -c dodil -n "__fish_dodil_using_subcommand help; and __fish_seen_subcommand_from scriptum" -f -a "dev-server" -d 'Run a local Scriptum simulator for tests and CI (demos, scenario files, fault switches)'
complete -c dodil -n "__fish_dodil_using_subcommand help; and __fish_seen_subcommand_from scriptum" -f -a "verify" -d 'Check a --save directory against its summary.json: every listed file there, whole, unchanged'
complete -c dodil -n "__fish_dodil_using_subcommand help; and __fish_seen_subcommand_from auth" -f -a "login" -d 'Read a token from stdin and keep it for this profile and endpoint in the platform\'s keyring (a file of mode 0600 where none answers)'
complete -c dodil -n "__fish_dodil_using_subcommand help; and __fish_seen_subcommand_from auth" -f -a "status" -d 'Say where the token comes from and whether the server accepts it (never the token)'
complete -c dodil -n "__fish_dodil_using_subcommand help; and __fish_seen_subcommand_from auth" -f -a "logout" -d 'Forget the token stored for this profile and endpoint (keyring entry and file)'
