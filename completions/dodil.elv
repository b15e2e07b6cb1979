
use builtin;
use str;

set edit:completion:arg-completer[dodil] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'dodil'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'dodil'= {
            cand --endpoint 'Server to talk to: https://host[:port] (TLS), http://host:port (plaintext), or `embedded` (an in-process dev server) [default: https://rpc.dodil.io:443]'
            cand --profile 'Profile of the config file to use (`staging` and `production` are built in)'
            cand --org 'Organization name, sent as x-organization-name [env: DODIL_ORG, SCRIPTUM_ORG_NAME]'
            cand --org-id 'Organization id, sent as x-organization-id'
            cand --token-file 'File holding the bearer token (or set DODIL_TOKEN to the token itself, or store one with `dodil auth login`; a token is never taken as a command-line value)'
            cand --ca-cert 'PEM file of a private CA to trust for TLS, in addition to the system''s roots'
            cand --proxy 'Proxy for every connection: http://HOST:PORT (CONNECT), socks5://HOST:PORT, socks5h://HOST:PORT, or `none`; overrides HTTPS_PROXY, ALL_PROXY and NO_PROXY (a password only in DODIL_PROXY) [env: DODIL_PROXY]'
            cand --transport 'How calls travel: grpc (the default), or http: the HTTP gateway (/v1/scriptum/..., JSON bodies, HTTP/1.1 or HTTP/2), for proxies and load balancers that break gRPC'
            cand -o 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs'
            cand --output 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs'
            cand --jq 'Filter the JSON output through a jq expression (implies -o json; with -o jsonl, each line as it is printed). Strings print raw, other values as compact JSON, one a line'
            cand --color 'When to use colour on a terminal (NO_COLOR turns it off for `auto`)'
            cand --insecure-allow-plaintext 'Allow sending a token over plaintext http:// to a host that is not loopback'
            cand -q 'Print less on stderr (errors only) [env: RUST_LOG=error]'
            cand --quiet 'Print less on stderr (errors only) [env: RUST_LOG=error]'
            cand -v 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]'
            cand --verbose 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand scriptum 'Scripts and their threads on Dodil Scriptum'
            cand auth 'Sign in: keep a token in the platform''s keyring, check it, forget it'
            cand completions 'Print a shell completion script'
            cand man 'Print the man page (roff), or write one page per command into a directory'
            cand options 'Print the options every command accepts (--endpoint, --profile, -o, ...), in full'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dodil;scriptum'= {
            cand --endpoint 'Server to talk to: https://host[:port] (TLS), http://host:port (plaintext), or `embedded` (an in-process dev server) [default: https://rpc.dodil.io:443]'
            cand --profile 'Profile of the config file to use (`staging` and `production` are built in)'
            cand --org 'Organization name, sent as x-organization-name [env: DODIL_ORG, SCRIPTUM_ORG_NAME]'
            cand --org-id 'Organization id, sent as x-organization-id'
            cand --token-file 'File holding the bearer token (or set DODIL_TOKEN to the token itself, or store one with `dodil auth login`; a token is never taken as a command-line value)'
            cand --ca-cert 'PEM file of a private CA to trust for TLS, in addition to the system''s roots'
            cand --proxy 'Proxy for every connection: http://HOST:PORT (CONNECT), socks5://HOST:PORT, socks5h://HOST:PORT, or `none`; overrides HTTPS_PROXY, ALL_PROXY and NO_PROXY (a password only in DODIL_PROXY) [env: DODIL_PROXY]'
            cand --transport 'How calls travel: grpc (the default), or http: the HTTP gateway (/v1/scriptum/..., JSON bodies, HTTP/1.1 or HTTP/2), for proxies and load balancers that break gRPC'
            cand -o 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs'
            cand --output 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs'
            cand --jq 'Filter the JSON output through a jq expression (implies -o json; with -o jsonl, each line as it is printed). Strings print raw, other values as compact JSON, one a line'
            cand --color 'When to use colour on a terminal (NO_COLOR turns it off for `auto`)'
            cand --insecure-allow-plaintext 'Allow sending a token over plaintext http:// to a host that is not loopback'
            cand -q 'Print less on stderr (errors only) [env: RUST_LOG=error]'
            cand --quiet 'Print less on stderr (errors only) [env: RUST_LOG=error]'
            cand -v 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]'
            cand --verbose 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]'
            cand -h 'Print help'
            cand --help 'Print help'
            cand thread 'Create, follow and inspect threads (executions of a script)'
            cand dev-server 'Run a local Scriptum simulator for tests and CI (demos, scenario files, fault switches)'
            cand verify 'Check a --save directory against its summary.json: every listed file there, whole, unchanged'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dodil;scriptum;thread'= {
            cand --endpoint 'Server to talk to: https://host[:port] (TLS), http://host:port (plaintext), or `embedded` (an in-process dev server) [default: https://rpc.dodil.io:443]'
            cand --profile 'Profile of the config file to use (`staging` and `production` are built in)'
            cand --org 'Organization name, sent as x-organization-name [env: DODIL_ORG, SCRIPTUM_ORG_NAME]'
            cand --org-id 'Organization id, sent as x-organization-id'
            cand --token-file 'File holding the bearer token (or set DODIL_TOKEN to the token itself, or store one with `dodil auth login`; a token is never taken as a command-line value)'
            cand --ca-cert 'PEM file of a private CA to trust for TLS, in addition to the system''s roots'
            cand --proxy 'Proxy for every connection: http://HOST:PORT (CONNECT), socks5://HOST:PORT, socks5h://HOST:PORT, or `none`; overrides HTTPS_PROXY, ALL_PROXY and NO_PROXY (a password only in DODIL_PROXY) [env: DODIL_PROXY]'
            cand --transport 'How calls travel: grpc (the default), or http: the HTTP gateway (/v1/scriptum/..., JSON bodies, HTTP/1.1 or HTTP/2), for proxies and load balancers that break gRPC'
            cand -o 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs'
            cand --output 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs'
            cand --jq 'Filter the JSON output through a jq expression (implies -o json; with -o jsonl, each line as it is printed). Strings print raw, other values as compact JSON, one a line'
            cand --color 'When to use colour on a terminal (NO_COLOR turns it off for `auto`)'
            cand --insecure-allow-plaintext 'Allow sending a token over plaintext http:// to a host that is not loopback'
            cand -q 'Print less on stderr (errors only) [env: RUST_LOG=error]'
            cand --quiet 'Print less on stderr (errors only) [env: RUST_LOG=error]'
            cand -v 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]'
            cand --verbose 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]'
            cand -h 'Print help'
            cand --help 'Print help'
            cand create 'Start a thread and print its id at once, without waiting for it'
            cand run 'Start a thread and follow it to the end; the exit code tells how it ended'
            cand watch 'Follow an existing thread to the end (or report it, if it has ended)'
            cand get 'Show a thread''s status and progress'
            cand list 'List recent threads, newest first'
            cand result 'Print a thread''s final output (streamed in full when large), or save it with its steps'
            cand steps 'Show a thread''s steps as a tree, one step in detail, or every step''s full input/output'
            cand resume 'Resume a paused thread (or retry a failed one), optionally with a new input for its step'
            cand cancel 'Cancel a running thread'
            cand artifacts 'List the files a thread produced, or download them'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dodil;scriptum;thread;create'= {
            cand --input 'Input: inline JSON, @FILE, or @- for stdin (validated before anything is sent)'
            cand --version 'Script version to run (0 = the active version)'
            cand --timeout 'Override the default timeout, e.g. 90s, 5m, 1h30m (accepted but not enforced by the service yet)'
            cand --metadata 'A label for the thread, KEY=VALUE; repeat for more'
            cand --callback-url 'Webhook called when the thread completes (accepted but not enforced by the service yet)'
            cand --endpoint 'Server to talk to: https://host[:port] (TLS), http://host:port (plaintext), or `embedded` (an in-process dev server) [default: https://rpc.dodil.io:443]'
            cand --profile 'Profile of the config file to use (`staging` and `production` are built in)'
            cand --org 'Organization name, sent as x-organization-name [env: DODIL_ORG, SCRIPTUM_ORG_NAME]'
            cand --org-id 'Organization id, sent as x-organization-id'
            cand --token-file 'File holding the bearer token (or set DODIL_TOKEN to the token itself, or store one with `dodil auth login`; a token is never taken as a command-line value)'
            cand --ca-cert 'PEM file of a private CA to trust for TLS, in addition to the system''s roots'
            cand --proxy 'Proxy for every connection: http://HOST:PORT (CONNECT), socks5://HOST:PORT, socks5h://HOST:PORT, or `none`; overrides HTTPS_PROXY, ALL_PROXY and NO_PROXY (a password only in DODIL_PROXY) [env: DODIL_PROXY]'
            cand --transport 'How calls travel: grpc (the default), or http: the HTTP gateway (/v1/scriptum/..., JSON bodies, HTTP/1.1 or HTTP/2), for proxies and load balancers that break gRPC'
            cand -o 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs'
            cand --output 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs'
            cand --jq 'Filter the JSON output through a jq expression (implies -o json; with -o jsonl, each line as it is printed). Strings print raw, other values as compact JSON, one a line'
            cand --color 'When to use colour on a terminal (NO_COLOR turns it off for `auto`)'
            cand --env 'Load the tenant''s environment variables into the run'
            cand --insecure-allow-plaintext 'Allow sending a token over plaintext http:// to a host that is not loopback'
            cand -q 'Print less on stderr (errors only) [env: RUST_LOG=error]'
            cand --quiet 'Print less on stderr (errors only) [env: RUST_LOG=error]'
            cand -v 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]'
            cand --verbose 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'dodil;scriptum;thread;run'= {
            cand --input 'Input: inline JSON, @FILE, or @- for stdin (validated before anything is sent)'
            cand --version 'Script version to run (0 = the active version)'
            cand --timeout 'Override the default timeout, e.g. 90s, 5m, 1h30m (accepted but not enforced by the service yet)'
            cand --metadata 'A label for the thread, KEY=VALUE; repeat for more'
            cand --callback-url 'Webhook called when the thread completes (accepted but not enforced by the service yet)'
            cand --save 'Save the output and step files to DIR once the thread has ended'
            cand --inputs 'One thread per non-empty line of FILE (or stdin: -), each line the input as JSON; all lines are checked before the first thread is created'
            cand --parallel 'With --inputs: at most N threads running at once'
            cand --follow-timeout 'Stop following after DUR, e.g. 30m (exit 6; the thread goes on running)'
            cand --retry-budget 'How long to keep retrying while the server cannot be reached or keeps failing, before giving up with exit 6'
            cand --endpoint 'Server to talk to: https://host[:port] (TLS), http://host:port (plaintext), or `embedded` (an in-process dev server) [default: https://rpc.dodil.io:443]'
            cand --profile 'Profile of the config file to use (`staging` and `production` are built in)'
            cand --org 'Organization name, sent as x-organization-name [env: DODIL_ORG, SCRIPTUM_ORG_NAME]'
            cand --org-id 'Organization id, sent as x-organization-id'
            cand --token-file 'File holding the bearer token (or set DODIL_TOKEN to the token itself, or store one with `dodil auth login`; a token is never taken as a command-line value)'
            cand --ca-cert 'PEM file of a private CA to trust for TLS, in addition to the system''s roots'
            cand --proxy 'Proxy for every connection: http://HOST:PORT (CONNECT), socks5://HOST:PORT, socks5h://HOST:PORT, or `none`; overrides HTTPS_PROXY, ALL_PROXY and NO_PROXY (a password only in DODIL_PROXY) [env: DODIL_PROXY]'
            cand --transport 'How calls travel: grpc (the default), or http: the HTTP gateway (/v1/scriptum/..., JSON bodies, HTTP/1.1 or HTTP/2), for proxies and load balancers that break gRPC'
            cand -o 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs'
            cand --output 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs'
            cand --jq 'Filter the JSON output through a jq expression (implies -o json; with -o jsonl, each line as it is printed). Strings print raw, other values as compact JSON, one a line'
            cand --color 'When to use colour on a terminal (NO_COLOR turns it off for `auto`)'
            cand --env 'Load the tenant''s environment variables into the run'
            cand --result 'Print the thread''s result once it has ended'
            cand --force 'Let --save use a non-empty DIR, replacing dodil''s files in it (other files are left alone); with --inputs, redo every input, also those a run before completed'
            cand --fail-fast 'With many threads: stop at the first one that ends other than COMPLETED'
            cand --wait-paused 'Keep following while the thread is paused for `thread resume`, instead of exiting with 4'
            cand --insecure-allow-plaintext 'Allow sending a token over plaintext http:// to a host that is not loopback'
            cand -q 'Print less on stderr (errors only) [env: RUST_LOG=error]'
            cand --quiet 'Print less on stderr (errors only) [env: RUST_LOG=error]'
            cand -v 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]'
            cand --verbose 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'dodil;scriptum;thread;watch'= {
            cand --step 'Follow one step instead (e.g. 1.0.2): its snapshot, decision, and end; the exit code comes from the step'
            cand --follow-timeout 'Stop following after DUR, e.g. 30m (exit 6; the thread goes on running)'
            cand --retry-budget 'How long to keep retrying while the server cannot be reached or keeps failing, before giving up with exit 6'
            cand --endpoint 'Server to talk to: https://host[:port] (TLS), http://host:port (plaintext), or `embedded` (an in-process dev server) [default: https://rpc.dodil.io:443]'
            cand --profile 'Profile of the config file to use (`staging` and `production` are built in)'
            cand --org 'Organization name, sent as x-organization-name [env: DODIL_ORG, SCRIPTUM_ORG_NAME]'
            cand --org-id 'Organization id, sent as x-organization-id'
            cand --token-file 'File holding the bearer token (or set DODIL_TOKEN to the token itself, or store one with `dodil auth login`; a token is never taken as a command-line value)'
            cand --ca-cert 'PEM file of a private CA to trust for TLS, in addition to the system''s roots'
            cand --proxy 'Proxy for every connection: http://HOST:PORT (CONNECT), socks5://HOST:PORT, socks5h://HOST:PORT, or `none`; overrides HTTPS_PROXY, ALL_PROXY and NO_PROXY (a password only in DODIL_PROXY) [env: DODIL_PROXY]'
            cand --transport 'How calls travel: grpc (the default), or http: the HTTP gateway (/v1/scriptum/..., JSON bodies, HTTP/1.1 or HTTP/2), for proxies and load balancers that break gRPC'
            cand -o 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs'
            cand --output 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs'
            cand --jq 'Filter the JSON output through a jq expression (implies -o json; with -o jsonl, each line as it is printed). Strings print raw, other values as compact JSON, one a line'
            cand --color 'When to use colour on a terminal (NO_COLOR turns it off for `auto`)'
            cand --fail-fast 'With many threads: stop at the first one that ends other than COMPLETED'
            cand --wait-paused 'Keep following while the thread is paused for `thread resume`, instead of exiting with 4'
            cand --insecure-allow-plaintext 'Allow sending a token over plaintext http:// to a host that is not loopback'
            cand -q 'Print less on stderr (errors only) [env: RUST_LOG=error]'
            cand --quiet 'Print less on stderr (errors only) [env: RUST_LOG=error]'
            cand -v 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]'
            cand --verbose 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'dodil;scriptum;thread;get'= {
            cand --endpoint 'Server to talk to: https://host[:port] (TLS), http://host:port (plaintext), or `embedded` (an in-process dev server) [default: https://rpc.dodil.io:443]'
            cand --profile 'Profile of the config file to use (`staging` and `production` are built in)'
            cand --org 'Organization name, sent as x-organization-name [env: DODIL_ORG, SCRIPTUM_ORG_NAME]'
            cand --org-id 'Organization id, sent as x-organization-id'
            cand --token-file 'File holding the bearer token (or set DODIL_TOKEN to the token itself, or store one with `dodil auth login`; a token is never taken as a command-line value)'
            cand --ca-cert 'PEM file of a private CA to trust for TLS, in addition to the system''s roots'
            cand --proxy 'Proxy for every connection: http://HOST:PORT (CONNECT), socks5://HOST:PORT, socks5h://HOST:PORT, or `none`; overrides HTTPS_PROXY, ALL_PROXY and NO_PROXY (a password only in DODIL_PROXY) [env: DODIL_PROXY]'
            cand --transport 'How calls travel: grpc (the default), or http: the HTTP gateway (/v1/scriptum/..., JSON bodies, HTTP/1.1 or HTTP/2), for proxies and load balancers that break gRPC'
            cand -o 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs'
            cand --output 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs'
            cand --jq 'Filter the JSON output through a jq expression (implies -o json; with -o jsonl, each line as it is printed). Strings print raw, other values as compact JSON, one a line'
            cand --color 'When to use colour on a terminal (NO_COLOR turns it off for `auto`)'
            cand --insecure-allow-plaintext 'Allow sending a token over plaintext http:// to a host that is not loopback'
            cand -q 'Print less on stderr (errors only) [env: RUST_LOG=error]'
            cand --quiet 'Print less on stderr (errors only) [env: RUST_LOG=error]'
            cand -v 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]'
            cand --verbose 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'dodil;scriptum;thread;list'= {
            cand --script 'Only threads of this script'
            cand --status 'Only threads in this status (or its full enum name, e.g. THREAD_STATUS_FAILED; any case)'
            cand --page-size 'Threads to ask for per call'
            cand --limit 'Stop after N threads'
            cand --endpoint 'Server to talk to: https://host[:port] (TLS), http://host:port (plaintext), or `embedded` (an in-process dev server) [default: https://rpc.dodil.io:443]'
            cand --profile 'Profile of the config file to use (`staging` and `production` are built in)'
            cand --org 'Organization name, sent as x-organization-name [env: DODIL_ORG, SCRIPTUM_ORG_NAME]'
            cand --org-id 'Organization id, sent as x-organization-id'
            cand --token-file 'File holding the bearer token (or set DODIL_TOKEN to the token itself, or store one with `dodil auth login`; a token is never taken as a command-line value)'
            cand --ca-cert 'PEM file of a private CA to trust for TLS, in addition to the system''s roots'
            cand --proxy 'Proxy for every connection: http://HOST:PORT (CONNECT), socks5://HOST:PORT, socks5h://HOST:PORT, or `none`; overrides HTTPS_PROXY, ALL_PROXY and NO_PROXY (a password only in DODIL_PROXY) [env: DODIL_PROXY]'
            cand --transport 'How calls travel: grpc (the default), or http: the HTTP gateway (/v1/scriptum/..., JSON bodies, HTTP/1.1 or HTTP/2), for proxies and load balancers that break gRPC'
            cand -o 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs'
            cand --output 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs'
            cand --jq 'Filter the JSON output through a jq expression (implies -o json; with -o jsonl, each line as it is printed). Strings print raw, other values as compact JSON, one a line'
            cand --color 'When to use colour on a terminal (NO_COLOR turns it off for `auto`)'
            cand --all 'Follow every page to the end'
            cand --insecure-allow-plaintext 'Allow sending a token over plaintext http:// to a host that is not loopback'
            cand -q 'Print less on stderr (errors only) [env: RUST_LOG=error]'
            cand --quiet 'Print less on stderr (errors only) [env: RUST_LOG=error]'
            cand -v 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]'
            cand --verbose 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'dodil;scriptum;thread;result'= {
            cand --save 'Write output.json, summary.json, yields.jsonl and steps/ into DIR (created if missing)'
            cand --follow-timeout 'Stop following after DUR, e.g. 30m (exit 6; the thread goes on running)'
            cand --retry-budget 'How long to keep retrying while the server cannot be reached or keeps failing, before giving up with exit 6'
            cand --endpoint 'Server to talk to: https://host[:port] (TLS), http://host:port (plaintext), or `embedded` (an in-process dev server) [default: https://rpc.dodil.io:443]'
            cand --profile 'Profile of the config file to use (`staging` and `production` are built in)'
            cand --org 'Organization name, sent as x-organization-name [env: DODIL_ORG, SCRIPTUM_ORG_NAME]'
            cand --org-id 'Organization id, sent as x-organization-id'
            cand --token-file 'File holding the bearer token (or set DODIL_TOKEN to the token itself, or store one with `dodil auth login`; a token is never taken as a command-line value)'
            cand --ca-cert 'PEM file of a private CA to trust for TLS, in addition to the system''s roots'
            cand --proxy 'Proxy for every connection: http://HOST:PORT (CONNECT), socks5://HOST:PORT, socks5h://HOST:PORT, or `none`; overrides HTTPS_PROXY, ALL_PROXY and NO_PROXY (a password only in DODIL_PROXY) [env: DODIL_PROXY]'
            cand --transport 'How calls travel: grpc (the default), or http: the HTTP gateway (/v1/scriptum/..., JSON bodies, HTTP/1.1 or HTTP/2), for proxies and load balancers that break gRPC'
            cand -o 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs'
            cand --output 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs'
            cand --jq 'Filter the JSON output through a jq expression (implies -o json; with -o jsonl, each line as it is printed). Strings print raw, other values as compact JSON, one a line'
            cand --color 'When to use colour on a terminal (NO_COLOR turns it off for `auto`)'
            cand --wait 'Follow the thread to its end first (live progress on stderr)'
            cand --wait-paused 'Keep following while the thread is paused for `thread resume`, instead of exiting with 4'
            cand --force 'Let --save use a non-empty DIR, replacing dodil''s files in it (other files are left alone)'
            cand --insecure-allow-plaintext 'Allow sending a token over plaintext http:// to a host that is not loopback'
            cand -q 'Print less on stderr (errors only) [env: RUST_LOG=error]'
            cand --quiet 'Print less on stderr (errors only) [env: RUST_LOG=error]'
            cand -v 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]'
            cand --verbose 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'dodil;scriptum;thread;steps'= {
            cand --step 'One step, by path (e.g. 1.2.0): its detail, diagnostics, input and output'
            cand --save 'Write steps/<path>/{step,input,output}.json into DIR (created if missing); implies --detail'
            cand --endpoint 'Server to talk to: https://host[:port] (TLS), http://host:port (plaintext), or `embedded` (an in-process dev server) [default: https://rpc.dodil.io:443]'
            cand --profile 'Profile of the config file to use (`staging` and `production` are built in)'
            cand --org 'Organization name, sent as x-organization-name [env: DODIL_ORG, SCRIPTUM_ORG_NAME]'
            cand --org-id 'Organization id, sent as x-organization-id'
            cand --token-file 'File holding the bearer token (or set DODIL_TOKEN to the token itself, or store one with `dodil auth login`; a token is never taken as a command-line value)'
            cand --ca-cert 'PEM file of a private CA to trust for TLS, in addition to the system''s roots'
            cand --proxy 'Proxy for every connection: http://HOST:PORT (CONNECT), socks5://HOST:PORT, socks5h://HOST:PORT, or `none`; overrides HTTPS_PROXY, ALL_PROXY and NO_PROXY (a password only in DODIL_PROXY) [env: DODIL_PROXY]'
            cand --transport 'How calls travel: grpc (the default), or http: the HTTP gateway (/v1/scriptum/..., JSON bodies, HTTP/1.1 or HTTP/2), for proxies and load balancers that break gRPC'
            cand -o 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs'
            cand --output 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs'
            cand --jq 'Filter the JSON output through a jq expression (implies -o json; with -o jsonl, each line as it is printed). Strings print raw, other values as compact JSON, one a line'
            cand --color 'When to use colour on a terminal (NO_COLOR turns it off for `auto`)'
            cand --detail 'Stream the full input and output of every step (or of --step), reassembling large ones'
            cand --force 'Let --save use a non-empty DIR, replacing dodil''s files in it (other files are left alone)'
            cand --insecure-allow-plaintext 'Allow sending a token over plaintext http:// to a host that is not loopback'
            cand -q 'Print less on stderr (errors only) [env: RUST_LOG=error]'
            cand --quiet 'Print less on stderr (errors only) [env: RUST_LOG=error]'
            cand -v 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]'
            cand --verbose 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'dodil;scriptum;thread;resume'= {
            cand --input 'New input for the waiting or failed step: inline JSON, @FILE, or @- for stdin'
            cand --save 'With --watch: once the thread has ended, save its output and step files to DIR, and every value it yielded (also those before the resume) to yields.jsonl'
            cand --follow-timeout 'Stop following after DUR, e.g. 30m (exit 6; the thread goes on running)'
            cand --retry-budget 'How long to keep retrying while the server cannot be reached or keeps failing, before giving up with exit 6'
            cand --endpoint 'Server to talk to: https://host[:port] (TLS), http://host:port (plaintext), or `embedded` (an in-process dev server) [default: https://rpc.dodil.io:443]'
            cand --profile 'Profile of the config file to use (`staging` and `production` are built in)'
            cand --org 'Organization name, sent as x-organization-name [env: DODIL_ORG, SCRIPTUM_ORG_NAME]'
            cand --org-id 'Organization id, sent as x-organization-id'
            cand --token-file 'File holding the bearer token (or set DODIL_TOKEN to the token itself, or store one with `dodil auth login`; a token is never taken as a command-line value)'
            cand --ca-cert 'PEM file of a private CA to trust for TLS, in addition to the system''s roots'
            cand --proxy 'Proxy for every connection: http://HOST:PORT (CONNECT), socks5://HOST:PORT, socks5h://HOST:PORT, or `none`; overrides HTTPS_PROXY, ALL_PROXY and NO_PROXY (a password only in DODIL_PROXY) [env: DODIL_PROXY]'
            cand --transport 'How calls travel: grpc (the default), or http: the HTTP gateway (/v1/scriptum/..., JSON bodies, HTTP/1.1 or HTTP/2), for proxies and load balancers that break gRPC'
            cand -o 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs'
            cand --output 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs'
            cand --jq 'Filter the JSON output through a jq expression (implies -o json; with -o jsonl, each line as it is printed). Strings print raw, other values as compact JSON, one a line'
            cand --color 'When to use colour on a terminal (NO_COLOR turns it off for `auto`)'
            cand --watch 'Then follow the thread to its end, as `thread watch` does'
            cand --force 'Let --save use a non-empty DIR, replacing dodil''s files in it (other files are left alone)'
            cand --wait-paused 'Keep following while the thread is paused for `thread resume`, instead of exiting with 4'
            cand --insecure-allow-plaintext 'Allow sending a token over plaintext http:// to a host that is not loopback'
            cand -q 'Print less on stderr (errors only) [env: RUST_LOG=error]'
            cand --quiet 'Print less on stderr (errors only) [env: RUST_LOG=error]'
            cand -v 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]'
            cand --verbose 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'dodil;scriptum;thread;cancel'= {
            cand --reason 'Why, recorded with the cancellation'
            cand --endpoint 'Server to talk to: https://host[:port] (TLS), http://host:port (plaintext), or `embedded` (an in-process dev server) [default: https://rpc.dodil.io:443]'
            cand --profile 'Profile of the config file to use (`staging` and `production` are built in)'
            cand --org 'Organization name, sent as x-organization-name [env: DODIL_ORG, SCRIPTUM_ORG_NAME]'
            cand --org-id 'Organization id, sent as x-organization-id'
            cand --token-file 'File holding the bearer token (or set DODIL_TOKEN to the token itself, or store one with `dodil auth login`; a token is never taken as a command-line value)'
            cand --ca-cert 'PEM file of a private CA to trust for TLS, in addition to the system''s roots'
            cand --proxy 'Proxy for every connection: http://HOST:PORT (CONNECT), socks5://HOST:PORT, socks5h://HOST:PORT, or `none`; overrides HTTPS_PROXY, ALL_PROXY and NO_PROXY (a password only in DODIL_PROXY) [env: DODIL_PROXY]'
            cand --transport 'How calls travel: grpc (the default), or http: the HTTP gateway (/v1/scriptum/..., JSON bodies, HTTP/1.1 or HTTP/2), for proxies and load balancers that break gRPC'
            cand -o 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs'
            cand --output 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs'
            cand --jq 'Filter the JSON output through a jq expression (implies -o json; with -o jsonl, each line as it is printed). Strings print raw, other values as compact JSON, one a line'
            cand --color 'When to use colour on a terminal (NO_COLOR turns it off for `auto`)'
            cand --insecure-allow-plaintext 'Allow sending a token over plaintext http:// to a host that is not loopback'
            cand -q 'Print less on stderr (errors only) [env: RUST_LOG=error]'
            cand --quiet 'Print less on stderr (errors only) [env: RUST_LOG=error]'
            cand -v 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]'
            cand --verbose 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'dodil;scriptum;thread;artifacts'= {
            cand --save 'Download every artifact into DIR (each file whole or not at all, sizes checked)'
            cand --endpoint 'Server to talk to: https://host[:port] (TLS), http://host:port (plaintext), or `embedded` (an in-process dev server) [default: https://rpc.dodil.io:443]'
            cand --profile 'Profile of the config file to use (`staging` and `production` are built in)'
            cand --org 'Organization name, sent as x-organization-name [env: DODIL_ORG, SCRIPTUM_ORG_NAME]'
            cand --org-id 'Organization id, sent as x-organization-id'
            cand --token-file 'File holding the bearer token (or set DODIL_TOKEN to the token itself, or store one with `dodil auth login`; a token is never taken as a command-line value)'
            cand --ca-cert 'PEM file of a private CA to trust for TLS, in addition to the system''s roots'
            cand --proxy 'Proxy for every connection: http://HOST:PORT (CONNECT), socks5://HOST:PORT, socks5h://HOST:PORT, or `none`; overrides HTTPS_PROXY, ALL_PROXY and NO_PROXY (a password only in DODIL_PROXY) [env: DODIL_PROXY]'
            cand --transport 'How calls travel: grpc (the default), or http: the HTTP gateway (/v1/scriptum/..., JSON bodies, HTTP/1.1 or HTTP/2), for proxies and load balancers that break gRPC'
            cand -o 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs'
            cand --output 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs'
            cand --jq 'Filter the JSON output through a jq expression (implies -o json; with -o jsonl, each line as it is printed). Strings print raw, other values as compact JSON, one a line'
            cand --color 'When to use colour on a terminal (NO_COLOR turns it off for `auto`)'
            cand --force 'Allow --save into a non-empty DIR, replacing files of the same names'
            cand --insecure-allow-plaintext 'Allow sending a token over plaintext http:// to a host that is not loopback'
            cand -q 'Print less on stderr (errors only) [env: RUST_LOG=error]'
            cand --quiet 'Print less on stderr (errors only) [env: RUST_LOG=error]'
            cand -v 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]'
            cand --verbose 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'dodil;scriptum;thread;help'= {
            cand create 'Start a thread and print its id at once, without waiting for it'
            cand run 'Start a thread and follow it to the end; the exit code tells how it ended'
            cand watch 'Follow an existing thread to the end (or report it, if it has ended)'
            cand get 'Show a thread''s status and progress'
            cand list 'List recent threads, newest first'
            cand result 'Print a thread''s final output (streamed in full when large), or save it with its steps'
            cand steps 'Show a thread''s steps as a tree, one step in detail, or every step''s full input/output'
            cand resume 'Resume a paused thread (or retry a failed one), optionally with a new input for its step'
            cand cancel 'Cancel a running thread'
            cand artifacts 'List the files a thread produced, or download them'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dodil;scriptum;thread;help;create'= {
        }
        &'dodil;scriptum;thread;help;run'= {
        }
        &'dodil;scriptum;thread;help;watch'= {
        }
        &'dodil;scriptum;thread;help;get'= {
        }
        &'dodil;scriptum;thread;help;list'= {
        }
        &'dodil;scriptum;thread;help;result'= {
        }
        &'dodil;scriptum;thread;help;steps'= {
        }
        &'dodil;scriptum;thread;help;resume'= {
        }
        &'dodil;scriptum;thread;help;cancel'= {
        }
        &'dodil;scriptum;thread;help;artifacts'= {
        }
        &'dodil;scriptum;thread;help;help'= {
        }
        &'dodil;scriptum;dev-server'= {
            cand --listen 'Address to listen on; port 0 picks a free one (the first stdout line says which)'
            cand --token-file 'Require `authorization: Bearer <token>` on every call, the token read from this file [env: DODIL_DEVSERVER_TOKEN holds the token itself]'
            cand --token 'Require this bearer token. For local testing only: other users can read argv; prefer --token-file or DODIL_DEVSERVER_TOKEN'
            cand --data-dir 'Persist threads in this directory [default: $DODIL_DATA_DIR, else <platform data dir>/dodil/devserver, shared with --endpoint embedded]'
            cand --tls-cert 'Serve TLS with this PEM certificate (chain) instead of a generated one; needs --tls-key'
            cand --tls-key 'The PEM private key of --tls-cert'
            cand --speed 'Time scale: 10 runs every script ten times faster'
            cand --scripts 'Load scenario files (*.yaml) from this directory (see the README for the format)'
            cand --artifacts 'Make ListArtifacts list this directory''s files, downloadable from a local HTTP server (the real service answers UNIMPLEMENTED)'
            cand --compress 'Compress every answer with this encoding when the client accepts it'
            cand --faults 'Fault switches in the DODIL_DEVSERVER_FAULTS grammar, e.g. `watch-drop-after=3,unavailable=GetThread:2`; adds to the --fault-* flags. The HTTP gateway''s are only here: http-html-error=METHOD (a proxy''s 502 HTML page), http-non-json=METHOD (a 200 of plain text), http-truncate=METHOD (the body cut in half)'
            cand --fault-watch-drop-after 'Every watch stream ends (no terminal event) after N live events past its catch-up'
            cand --fault-unavailable 'The first N calls of METHOD (an RPC name, or * for each) answer UNAVAILABLE; repeatable'
            cand --fault-latency-ms 'Every call waits this many milliseconds before it is answered'
            cand --fault-chunk-skip 'Result streams never send chunk K'
            cand --fault-chunk-repeat 'Result streams send chunk K twice'
            cand --fault-chunk-reorder 'Result streams send chunk K+1 before chunk K'
            cand --fault-chunk-short 'Result streams send only half of chunk K''s bytes'
            cand --endpoint 'Server to talk to: https://host[:port] (TLS), http://host:port (plaintext), or `embedded` (an in-process dev server) [default: https://rpc.dodil.io:443]'
            cand --profile 'Profile of the config file to use (`staging` and `production` are built in)'
            cand --org 'Organization name, sent as x-organization-name [env: DODIL_ORG, SCRIPTUM_ORG_NAME]'
            cand --org-id 'Organization id, sent as x-organization-id'
            cand --ca-cert 'PEM file of a private CA to trust for TLS, in addition to the system''s roots'
            cand --proxy 'Proxy for every connection: http://HOST:PORT (CONNECT), socks5://HOST:PORT, socks5h://HOST:PORT, or `none`; overrides HTTPS_PROXY, ALL_PROXY and NO_PROXY (a password only in DODIL_PROXY) [env: DODIL_PROXY]'
            cand --transport 'How calls travel: grpc (the default), or http: the HTTP gateway (/v1/scriptum/..., JSON bodies, HTTP/1.1 or HTTP/2), for proxies and load balancers that break gRPC'
            cand -o 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs'
            cand --output 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs'
            cand --jq 'Filter the JSON output through a jq expression (implies -o json; with -o jsonl, each line as it is printed). Strings print raw, other values as compact JSON, one a line'
            cand --color 'When to use colour on a terminal (NO_COLOR turns it off for `auto`)'
            cand --ephemeral 'Keep threads in memory only; they vanish when the server stops'
            cand --tls 'Serve TLS (https://) with a certificate made at start for localhost, 127.0.0.1 and ::1; the second stdout line names its CA''s PEM file, for a client''s --ca-cert'
            cand --implement-cancel 'Make CancelThread work (the real service answers UNIMPLEMENTED)'
            cand --fault-watch-no-terminal 'Watch streams end where the terminal event would be, without sending it'
            cand --fault-watch-unimplemented 'WatchThread and WatchStep answer UNIMPLEMENTED'
            cand --fault-page-repeat 'ListThreads hands back the page token it was given instead of the next one'
            cand --fault-chunk-no-final 'Result streams never set is_final'
            cand --fault-chunk-extra 'Result streams send one more chunk after the final one'
            cand --fault-meta-total-mismatch 'StreamThreadResult''s meta total_bytes is 1000 more than the chunks carry'
            cand --fault-result-total-mismatch 'GetThreadResult''s output_total_bytes is 1000 more than the stream delivers'
            cand --fault-bad-enums 'Every status is 42 (outside the contract); WatchThread adds an event with no variant'
            cand --fault-hostile-names 'Step paths and names carry terminal escapes, `..`, `/abs`, `a/b` and NUL'
            cand --fault-huge-message 'GetThreadResult returns the whole output uncapped and StreamThreadResult sends it as one message (for max-message-size tests)'
            cand --insecure-allow-plaintext 'Allow sending a token over plaintext http:// to a host that is not loopback'
            cand -q 'Print less on stderr (errors only) [env: RUST_LOG=error]'
            cand --quiet 'Print less on stderr (errors only) [env: RUST_LOG=error]'
            cand -v 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]'
            cand --verbose 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'dodil;scriptum;verify'= {
            cand --endpoint 'Server to talk to: https://host[:port] (TLS), http://host:port (plaintext), or `embedded` (an in-process dev server) [default: https://rpc.dodil.io:443]'
            cand --profile 'Profile of the config file to use (`staging` and `production` are built in)'
            cand --org 'Organization name, sent as x-organization-name [env: DODIL_ORG, SCRIPTUM_ORG_NAME]'
            cand --org-id 'Organization id, sent as x-organization-id'
            cand --token-file 'File holding the bearer token (or set DODIL_TOKEN to the token itself, or store one with `dodil auth login`; a token is never taken as a command-line value)'
            cand --ca-cert 'PEM file of a private CA to trust for TLS, in addition to the system''s roots'
            cand --proxy 'Proxy for every connection: http://HOST:PORT (CONNECT), socks5://HOST:PORT, socks5h://HOST:PORT, or `none`; overrides HTTPS_PROXY, ALL_PROXY and NO_PROXY (a password only in DODIL_PROXY) [env: DODIL_PROXY]'
            cand --transport 'How calls travel: grpc (the default), or http: the HTTP gateway (/v1/scriptum/..., JSON bodies, HTTP/1.1 or HTTP/2), for proxies and load balancers that break gRPC'
            cand -o 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs'
            cand --output 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs'
            cand --jq 'Filter the JSON output through a jq expression (implies -o json; with -o jsonl, each line as it is printed). Strings print raw, other values as compact JSON, one a line'
            cand --color 'When to use colour on a terminal (NO_COLOR turns it off for `auto`)'
            cand --insecure-allow-plaintext 'Allow sending a token over plaintext http:// to a host that is not loopback'
            cand -q 'Print less on stderr (errors only) [env: RUST_LOG=error]'
            cand --quiet 'Print less on stderr (errors only) [env: RUST_LOG=error]'
            cand -v 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]'
            cand --verbose 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'dodil;scriptum;help'= {
            cand thread 'Create, follow and inspect threads (executions of a script)'
            cand dev-server 'Run a local Scriptum simulator for tests and CI (demos, scenario files, fault switches)'
            cand verify 'Check a --save directory against its summary.json: every listed file there, whole, unchanged'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dodil;scriptum;help;thread'= {
            cand create 'Start a thread and print its id at once, without waiting for it'
            cand run 'Start a thread and follow it to the end; the exit code tells how it ended'
            cand watch 'Follow an existing thread to the end (or report it, if it has ended)'
            cand get 'Show a thread''s status and progress'
            cand list 'List recent threads, newest first'
            cand result 'Print a thread''s final output (streamed in full when large), or save it with its steps'
            cand steps 'Show a thread''s steps as a tree, one step in detail, or every step''s full input/output'
            cand resume 'Resume a paused thread (or retry a failed one), optionally with a new input for its step'
            cand cancel 'Cancel a running thread'
            cand artifacts 'List the files a thread produced, or download them'
        }
        &'dodil;scriptum;help;thread;create'= {
        }
        &'dodil;scriptum;help;thread;run'= {
        }
        &'dodil;scriptum;help;thread;watch'= {
        }
        &'dodil;scriptum;help;thread;get'= {
        }
        &'dodil;scriptum;help;thread;list'= {
        }
        &'dodil;scriptum;help;thread;result'= {
        }
        &'dodil;scriptum;help;thread;steps'= {
        }
        &'dodil;scriptum;help;thread;resume'= {
        }
        &'dodil;scriptum;help;thread;cancel'= {
        }
        &'dodil;scriptum;help;thread;artifacts'= {
        }
        &'dodil;scriptum;help;dev-server'= {
        }
        &'dodil;scriptum;help;verify'= {
        }
        &'dodil;scriptum;help;help'= {
        }
        &'dodil;auth'= {
            cand --endpoint 'Server to talk to: https://host[:port] (TLS), http://host:port (plaintext), or `embedded` (an in-process dev server) [default: https://rpc.dodil.io:443]'
            cand --profile 'Profile of the config file to use (`staging` and `production` are built in)'
            cand --org 'Organization name, sent as x-organization-name [env: DODIL_ORG, SCRIPTUM_ORG_NAME]'
            cand --org-id 'Organization id, sent as x-organization-id'
            cand --token-file 'File holding the bearer token (or set DODIL_TOKEN to the token itself, or store one with `dodil auth login`; a token is never taken as a command-line value)'
            cand --ca-cert 'PEM file of a private CA to trust for TLS, in addition to the system''s roots'
            cand --proxy 'Proxy for every connection: http://HOST:PORT (CONNECT), socks5://HOST:PORT, socks5h://HOST:PORT, or `none`; overrides HTTPS_PROXY, ALL_PROXY and NO_PROXY (a password only in DODIL_PROXY) [env: DODIL_PROXY]'
            cand --transport 'How calls travel: grpc (the default), or http: the HTTP gateway (/v1/scriptum/..., JSON bodies, HTTP/1.1 or HTTP/2), for proxies and load balancers that break gRPC'
            cand -o 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs'
            cand --output 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs'
            cand --jq 'Filter the JSON output through a jq expression (implies -o json; with -o jsonl, each line as it is printed). Strings print raw, other values as compact JSON, one a line'
            cand --color 'When to use colour on a terminal (NO_COLOR turns it off for `auto`)'
            cand --insecure-allow-plaintext 'Allow sending a token over plaintext http:// to a host that is not loopback'
            cand -q 'Print less on stderr (errors only) [env: RUST_LOG=error]'
            cand --quiet 'Print less on stderr (errors only) [env: RUST_LOG=error]'
            cand -v 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]'
            cand --verbose 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]'
            cand -h 'Print help'
            cand --help 'Print help'
            cand login 'Read a token from stdin and keep it for this profile and endpoint in the platform''s keyring (a file of mode 0600 where none answers)'
            cand status 'Say where the token comes from and whether the server accepts it (never the token)'
            cand logout 'Forget the token stored for this profile and endpoint (keyring entry and file)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dodil;auth;login'= {
            cand --endpoint 'Server to talk to: https://host[:port] (TLS), http://host:port (plaintext), or `embedded` (an in-process dev server) [default: https://rpc.dodil.io:443]'
            cand --profile 'Profile of the config file to use (`staging` and `production` are built in)'
            cand --org 'Organization name, sent as x-organization-name [env: DODIL_ORG, SCRIPTUM_ORG_NAME]'
            cand --org-id 'Organization id, sent as x-organization-id'
            cand --token-file 'File holding the bearer token (or set DODIL_TOKEN to the token itself, or store one with `dodil auth login`; a token is never taken as a command-line value)'
            cand --ca-cert 'PEM file of a private CA to trust for TLS, in addition to the system''s roots'
            cand --proxy 'Proxy for every connection: http://HOST:PORT (CONNECT), socks5://HOST:PORT, socks5h://HOST:PORT, or `none`; overrides HTTPS_PROXY, ALL_PROXY and NO_PROXY (a password only in DODIL_PROXY) [env: DODIL_PROXY]'
            cand --transport 'How calls travel: grpc (the default), or http: the HTTP gateway (/v1/scriptum/..., JSON bodies, HTTP/1.1 or HTTP/2), for proxies and load balancers that break gRPC'
            cand -o 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs'
            cand --output 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs'
            cand --jq 'Filter the JSON output through a jq expression (implies -o json; with -o jsonl, each line as it is printed). Strings print raw, other values as compact JSON, one a line'
            cand --color 'When to use colour on a terminal (NO_COLOR turns it off for `auto`)'
            cand --with-token 'Read the token from stdin, one line (without it, stdin is read too when it is not a terminal)'
            cand --insecure-allow-plaintext 'Allow sending a token over plaintext http:// to a host that is not loopback'
            cand -q 'Print less on stderr (errors only) [env: RUST_LOG=error]'
            cand --quiet 'Print less on stderr (errors only) [env: RUST_LOG=error]'
            cand -v 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]'
            cand --verbose 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'dodil;auth;status'= {
            cand --endpoint 'Server to talk to: https://host[:port] (TLS), http://host:port (plaintext), or `embedded` (an in-process dev server) [default: https://rpc.dodil.io:443]'
            cand --profile 'Profile of the config file to use (`staging` and `production` are built in)'
            cand --org 'Organization name, sent as x-organization-name [env: DODIL_ORG, SCRIPTUM_ORG_NAME]'
            cand --org-id 'Organization id, sent as x-organization-id'
            cand --token-file 'File holding the bearer token (or set DODIL_TOKEN to the token itself, or store one with `dodil auth login`; a token is never taken as a command-line value)'
            cand --ca-cert 'PEM file of a private CA to trust for TLS, in addition to the system''s roots'
            cand --proxy 'Proxy for every connection: http://HOST:PORT (CONNECT), socks5://HOST:PORT, socks5h://HOST:PORT, or `none`; overrides HTTPS_PROXY, ALL_PROXY and NO_PROXY (a password only in DODIL_PROXY) [env: DODIL_PROXY]'
            cand --transport 'How calls travel: grpc (the default), or http: the HTTP gateway (/v1/scriptum/..., JSON bodies, HTTP/1.1 or HTTP/2), for proxies and load balancers that break gRPC'
            cand -o 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs'
            cand --output 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs'
            cand --jq 'Filter the JSON output through a jq expression (implies -o json; with -o jsonl, each line as it is printed). Strings print raw, other values as compact JSON, one a line'
            cand --color 'When to use colour on a terminal (NO_COLOR turns it off for `auto`)'
            cand --insecure-allow-plaintext 'Allow sending a token over plaintext http:// to a host that is not loopback'
            cand -q 'Print less on stderr (errors only) [env: RUST_LOG=error]'
            cand --quiet 'Print less on stderr (errors only) [env: RUST_LOG=error]'
            cand -v 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]'
            cand --verbose 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'dodil;auth;logout'= {
            cand --endpoint 'Server to talk to: https://host[:port] (TLS), http://host:port (plaintext), or `embedded` (an in-process dev server) [default: https://rpc.dodil.io:443]'
            cand --profile 'Profile of the config file to use (`staging` and `production` are built in)'
            cand --org 'Organization name, sent as x-organization-name [env: DODIL_ORG, SCRIPTUM_ORG_NAME]'
            cand --org-id 'Organization id, sent as x-organization-id'
            cand --token-file 'File holding the bearer token (or set DODIL_TOKEN to the token itself, or store one with `dodil auth login`; a token is never taken as a command-line value)'
            cand --ca-cert 'PEM file of a private CA to trust for TLS, in addition to the system''s roots'
            cand --proxy 'Proxy for every connection: http://HOST:PORT (CONNECT), socks5://HOST:PORT, socks5h://HOST:PORT, or `none`; overrides HTTPS_PROXY, ALL_PROXY and NO_PROXY (a password only in DODIL_PROXY) [env: DODIL_PROXY]'
            cand --transport 'How calls travel: grpc (the default), or http: the HTTP gateway (/v1/scriptum/..., JSON bodies, HTTP/1.1 or HTTP/2), for proxies and load balancers that break gRPC'
            cand -o 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs'
            cand --output 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs'
            cand --jq 'Filter the JSON output through a jq expression (implies -o json; with -o jsonl, each line as it is printed). Strings print raw, other values as compact JSON, one a line'
            cand --color 'When to use colour on a terminal (NO_COLOR turns it off for `auto`)'
            cand --insecure-allow-plaintext 'Allow sending a token over plaintext http:// to a host that is not loopback'
            cand -q 'Print less on stderr (errors only) [env: RUST_LOG=error]'
            cand --quiet 'Print less on stderr (errors only) [env: RUST_LOG=error]'
            cand -v 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]'
            cand --verbose 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'dodil;auth;help'= {
            cand login 'Read a token from stdin and keep it for this profile and endpoint in the platform''s keyring (a file of mode 0600 where none answers)'
            cand status 'Say where the token comes from and whether the server accepts it (never the token)'
            cand logout 'Forget the token stored for this profile and endpoint (keyring entry and file)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dodil;auth;help;login'= {
        }
        &'dodil;auth;help;status'= {
        }
        &'dodil;auth;help;logout'= {
        }
        &'dodil;auth;help;help'= {
        }
        &'dodil;completions'= {
            cand --endpoint 'Server to talk to: https://host[:port] (TLS), http://host:port (plaintext), or `embedded` (an in-process dev server) [default: https://rpc.dodil.io:443]'
            cand --profile 'Profile of the config file to use (`staging` and `production` are built in)'
            cand --org 'Organization name, sent as x-organization-name [env: DODIL_ORG, SCRIPTUM_ORG_NAME]'
            cand --org-id 'Organization id, sent as x-organization-id'
            cand --token-file 'File holding the bearer token (or set DODIL_TOKEN to the token itself, or store one with `dodil auth login`; a token is never taken as a command-line value)'
            cand --ca-cert 'PEM file of a private CA to trust for TLS, in addition to the system''s roots'
            cand --proxy 'Proxy for every connection: http://HOST:PORT (CONNECT), socks5://HOST:PORT, socks5h://HOST:PORT, or `none`; overrides HTTPS_PROXY, ALL_PROXY and NO_PROXY (a password only in DODIL_PROXY) [env: DODIL_PROXY]'
            cand --transport 'How calls travel: grpc (the default), or http: the HTTP gateway (/v1/scriptum/..., JSON bodies, HTTP/1.1 or HTTP/2), for proxies and load balancers that break gRPC'
            cand -o 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs'
            cand --output 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs'
            cand --jq 'Filter the JSON output through a jq expression (implies -o json; with -o jsonl, each line as it is printed). Strings print raw, other values as compact JSON, one a line'
            cand --color 'When to use colour on a terminal (NO_COLOR turns it off for `auto`)'
            cand --insecure-allow-plaintext 'Allow sending a token over plaintext http:// to a host that is not loopback'
            cand -q 'Print less on stderr (errors only) [env: RUST_LOG=error]'
            cand --quiet 'Print less on stderr (errors only) [env: RUST_LOG=error]'
            cand -v 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]'
            cand --verbose 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'dodil;man'= {
            cand --dir 'Write dodil.1 and one page per command (dodil-scriptum-thread-get.1, ...) into DIR'
            cand --endpoint 'Server to talk to: https://host[:port] (TLS), http://host:port (plaintext), or `embedded` (an in-process dev server) [default: https://rpc.dodil.io:443]'
            cand --profile 'Profile of the config file to use (`staging` and `production` are built in)'
            cand --org 'Organization name, sent as x-organization-name [env: DODIL_ORG, SCRIPTUM_ORG_NAME]'
            cand --org-id 'Organization id, sent as x-organization-id'
            cand --token-file 'File holding the bearer token (or set DODIL_TOKEN to the token itself, or store one with `dodil auth login`; a token is never taken as a command-line value)'
            cand --ca-cert 'PEM file of a private CA to trust for TLS, in addition to the system''s roots'
            cand --proxy 'Proxy for every connection: http://HOST:PORT (CONNECT), socks5://HOST:PORT, socks5h://HOST:PORT, or `none`; overrides HTTPS_PROXY, ALL_PROXY and NO_PROXY (a password only in DODIL_PROXY) [env: DODIL_PROXY]'
            cand --transport 'How calls travel: grpc (the default), or http: the HTTP gateway (/v1/scriptum/..., JSON bodies, HTTP/1.1 or HTTP/2), for proxies and load balancers that break gRPC'
            cand -o 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs'
            cand --output 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs'
            cand --jq 'Filter the JSON output through a jq expression (implies -o json; with -o jsonl, each line as it is printed). Strings print raw, other values as compact JSON, one a line'
            cand --color 'When to use colour on a terminal (NO_COLOR turns it off for `auto`)'
            cand --insecure-allow-plaintext 'Allow sending a token over plaintext http:// to a host that is not loopback'
            cand -q 'Print less on stderr (errors only) [env: RUST_LOG=error]'
            cand --quiet 'Print less on stderr (errors only) [env: RUST_LOG=error]'
            cand -v 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]'
            cand --verbose 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'dodil;options'= {
            cand --endpoint 'Server to talk to: https://host[:port] (TLS), http://host:port (plaintext), or `embedded` (an in-process dev server) [default: https://rpc.dodil.io:443]'
            cand --profile 'Profile of the config file to use (`staging` and `production` are built in)'
            cand --org 'Organization name, sent as x-organization-name [env: DODIL_ORG, SCRIPTUM_ORG_NAME]'
            cand --org-id 'Organization id, sent as x-organization-id'
            cand --token-file 'File holding the bearer token (or set DODIL_TOKEN to the token itself, or store one with `dodil auth login`; a token is never taken as a command-line value)'
            cand --ca-cert 'PEM file of a private CA to trust for TLS, in addition to the system''s roots'
            cand --proxy 'Proxy for every connection: http://HOST:PORT (CONNECT), socks5://HOST:PORT, socks5h://HOST:PORT, or `none`; overrides HTTPS_PROXY, ALL_PROXY and NO_PROXY (a password only in DODIL_PROXY) [env: DODIL_PROXY]'
            cand --transport 'How calls travel: grpc (the default), or http: the HTTP gateway (/v1/scriptum/..., JSON bodies, HTTP/1.1 or HTTP/2), for proxies and load balancers that break gRPC'
            cand -o 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs'
            cand --output 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs'
            cand --jq 'Filter the JSON output through a jq expression (implies -o json; with -o jsonl, each line as it is printed). Strings print raw, other values as compact JSON, one a line'
            cand --color 'When to use colour on a terminal (NO_COLOR turns it off for `auto`)'
            cand --insecure-allow-plaintext 'Allow sending a token over plaintext http:// to a host that is not loopback'
            cand -q 'Print less on stderr (errors only) [env: RUST_LOG=error]'
            cand --quiet 'Print less on stderr (errors only) [env: RUST_LOG=error]'
            cand -v 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]'
            cand --verbose 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'dodil;help'= {
            cand scriptum 'Scripts and their threads on Dodil Scriptum'
            cand auth 'Sign in: keep a token in the platform''s keyring, check it, forget it'
            cand completions 'Print a shell completion script'
            cand man 'Print the man page (roff), or write one page per command into a directory'
            cand options 'Print the options every command accepts (--endpoint, --profile, -o, ...), in full'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dodil;help;scriptum'= {
            cand thread 'Create, follow and inspect threads (executions of a script)'
            cand dev-server 'Run a local Scriptum simulator for tests and CI (demos, scenario files, fault switches)'
            cand verify 'Check a --save directory against its summary.json: every listed file there, whole, unchanged'
        }
        &'dodil;help;scriptum;thread'= {
            cand create 'Start a thread and print its id at once, without waiting for it'
            cand run 'Start a thread and follow it to the end; the exit code tells how it ended'
            cand watch 'Follow an existing thread to the end (or report it, if it has ended)'
            cand get 'Show a thread''s status and progress'
            cand list 'List recent threads, newest first'
            cand result 'Print a thread''s final output (streamed in full when large), or save it with its steps'
            cand steps 'Show a thread''s steps as a tree, one step in detail, or every step''s full input/output'
            cand resume 'Resume a paused thread (or retry a failed one), optionally with a new input for its step'
            cand cancel 'Cancel a running thread'
            cand artifacts 'List the files a thread produced, or download them'
        }
        &'dodil;help;scriptum;thread;create'= {
        }
        &'dodil;help;scriptum;thread;run'= {
        }
        &'dodil;help;scriptum;thread;watch'= {
        }
        &'dodil;help;scriptum;thread;get'= {
        }
        &'dodil;help;scriptum;thread;list'= {
        }
        &'dodil;help;scriptum;thread;result'= {
        }
        &'dodil;help;scriptum;thread;steps'= {
        }
        &'dodil;help;scriptum;thread;resume'= {
        }
        &'dodil;help;scriptum;thread;cancel'= {
        }
        &'dodil;help;scriptum;thread;artifacts'= {
        }
        &'dodil;help;scriptum;dev-server'= {
        }
        &'dodil;help;scriptum;verify'= {
        }
        &'dodil;help;auth'= {
            cand login 'Read a token from stdin and keep it for this profile and endpoint in the platform''s keyring (a file of mode 0600 where none answers)'
            cand status 'Say where the token comes from and whether the server accepts it (never the token)'
            cand logout 'Forget the token stored for this profile and endpoint (keyring entry and file)'
        }
        &'dodil;help;auth;login'= {
        }
        &'dodil;help;auth;status'= {
        }
        &'dodil;help;auth;logout'= {
        }
        &'dodil;help;completions'= {
        }
        &'dodil;help;man'= {
        }
        &'dodil;help;options'= {
        }
        &'dodil;help;help'= {
        }
    ]
    $completions[$command]
}
