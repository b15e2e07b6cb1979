
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'dodil' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'dodil'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'dodil' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Server to talk to: https://host[:port] (TLS), http://host:port (plaintext), or `embedded` (an in-process dev server) [default: https://rpc.dodil.io:443]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use (`staging` and `production` are built in)')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Organization name, sent as x-organization-name [env: DODIL_ORG, SCRIPTUM_ORG_NAME]')
            [CompletionResult]::new('--org-id', '--org-id', [CompletionResultType]::ParameterName, 'Organization id, sent as x-organization-id')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'File holding the bearer token (or set DODIL_TOKEN to the token itself, or store one with `dodil auth login`; a token is never taken as a command-line value)')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'PEM file of a private CA to trust for TLS, in addition to the system''s roots')
            [CompletionResult]::new('--proxy', '--proxy', [CompletionResultType]::ParameterName, 'Proxy for every connection: http://HOST:PORT (CONNECT), socks5://HOST:PORT, socks5h://HOST:PORT, or `none`; overrides HTTPS_PROXY, ALL_PROXY and NO_PROXY (a password only in DODIL_PROXY) [env: DODIL_PROXY]')
            [CompletionResult]::new('--transport', '--transport', [CompletionResultType]::ParameterName, 'How calls travel: grpc (the default), or http: the HTTP gateway (/v1/scriptum/..., JSON bodies, HTTP/1.1 or HTTP/2), for proxies and load balancers that break gRPC')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output through a jq expression (implies -o json; with -o jsonl, each line as it is printed). Strings print raw, other values as compact JSON, one a line')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on a terminal (NO_COLOR turns it off for `auto`)')
            [CompletionResult]::new('--insecure-allow-plaintext', '--insecure-allow-plaintext', [CompletionResultType]::ParameterName, 'Allow sending a token over plaintext http:// to a host that is not loopback')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (errors only) [env: RUST_LOG=error]')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (errors only) [env: RUST_LOG=error]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('scriptum', 'scriptum', [CompletionResultType]::ParameterValue, 'Scripts and their threads on Dodil Scriptum')
            [CompletionResult]::new('auth', 'auth', [CompletionResultType]::ParameterValue, 'Sign in: keep a token in the platform''s keyring, check it, forget it')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (roff), or write one page per command into a directory')
            [CompletionResult]::new('options', 'options', [CompletionResultType]::ParameterValue, 'Print the options every command accepts (--endpoint, --profile, -o, ...), in full')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dodil;scriptum' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Server to talk to: https://host[:port] (TLS), http://host:port (plaintext), or `embedded` (an in-process dev server) [default: https://rpc.dodil.io:443]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use (`staging` and `production` are built in)')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Organization name, sent as x-organization-name [env: DODIL_ORG, SCRIPTUM_ORG_NAME]')
            [CompletionResult]::new('--org-id', '--org-id', [CompletionResultType]::ParameterName, 'Organization id, sent as x-organization-id')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'File holding the bearer token (or set DODIL_TOKEN to the token itself, or store one with `dodil auth login`; a token is never taken as a command-line value)')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'PEM file of a private CA to trust for TLS, in addition to the system''s roots')
            [CompletionResult]::new('--proxy', '--proxy', [CompletionResultType]::ParameterName, 'Proxy for every connection: http://HOST:PORT (CONNECT), socks5://HOST:PORT, socks5h://HOST:PORT, or `none`; overrides HTTPS_PROXY, ALL_PROXY and NO_PROXY (a password only in DODIL_PROXY) [env: DODIL_PROXY]')
            [CompletionResult]::new('--transport', '--transport', [CompletionResultType]::ParameterName, 'How calls travel: grpc (the default), or http: the HTTP gateway (/v1/scriptum/..., JSON bodies, HTTP/1.1 or HTTP/2), for proxies and load balancers that break gRPC')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output through a jq expression (implies -o json; with -o jsonl, each line as it is printed). Strings print raw, other values as compact JSON, one a line')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on a terminal (NO_COLOR turns it off for `auto`)')
            [CompletionResult]::new('--insecure-allow-plaintext', '--insecure-allow-plaintext', [CompletionResultType]::ParameterName, 'Allow sending a token over plaintext http:// to a host that is not loopback')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (errors only) [env: RUST_LOG=error]')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (errors only) [env: RUST_LOG=error]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('thread', 'thread', [CompletionResultType]::ParameterValue, 'Create, follow and inspect threads (executions of a script)')
            [CompletionResult]::new('dev-server', 'dev-server', [CompletionResultType]::ParameterValue, 'Run a local Scriptum simulator for tests and CI (demos, scenario files, fault switches)')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check a --save directory against its summary.json: every listed file there, whole, unchanged')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dodil;scriptum;thread' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Server to talk to: https://host[:port] (TLS), http://host:port (plaintext), or `embedded` (an in-process dev server) [default: https://rpc.dodil.io:443]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use (`staging` and `production` are built in)')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Organization name, sent as x-organization-name [env: DODIL_ORG, SCRIPTUM_ORG_NAME]')
            [CompletionResult]::new('--org-id', '--org-id', [CompletionResultType]::ParameterName, 'Organization id, sent as x-organization-id')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'File holding the bearer token (or set DODIL_TOKEN to the token itself, or store one with `dodil auth login`; a token is never taken as a command-line value)')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'PEM file of a private CA to trust for TLS, in addition to the system''s roots')
            [CompletionResult]::new('--proxy', '--proxy', [CompletionResultType]::ParameterName, 'Proxy for every connection: http://HOST:PORT (CONNECT), socks5://HOST:PORT, socks5h://HOST:PORT, or `none`; overrides HTTPS_PROXY, ALL_PROXY and NO_PROXY (a password only in DODIL_PROXY) [env: DODIL_PROXY]')
            [CompletionResult]::new('--transport', '--transport', [CompletionResultType]::ParameterName, 'How calls travel: grpc (the default), or http: the HTTP gateway (/v1/scriptum/..., JSON bodies, HTTP/1.1 or HTTP/2), for proxies and load balancers that break gRPC')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output through a jq expression (implies -o json; with -o jsonl, each line as it is printed). Strings print raw, other values as compact JSON, one a line')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on a terminal (NO_COLOR turns it off for `auto`)')
            [CompletionResult]::new('--insecure-allow-plaintext', '--insecure-allow-plaintext', [CompletionResultType]::ParameterName, 'Allow sending a token over plaintext http:// to a host that is not loopback')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (errors only) [env: RUST_LOG=error]')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (errors only) [env: RUST_LOG=error]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Start a thread and print its id at once, without waiting for it')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Start a thread and follow it to the end; the exit code tells how it ended')
            [CompletionResult]::new('watch', 'watch', [CompletionResultType]::ParameterValue, 'Follow an existing thread to the end (or report it, if it has ended)')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Show a thread''s status and progress')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List recent threads, newest first')
            [CompletionResult]::new('result', 'result', [CompletionResultType]::ParameterValue, 'Print a thread''s final output (streamed in full when large), or save it with its steps')
            [CompletionResult]::new('steps', 'steps', [CompletionResultType]::ParameterValue, 'Show a thread''s steps as a tree, one step in detail, or every step''s full input/output')
            [CompletionResult]::new('resume', 'resume', [CompletionResultType]::ParameterValue, 'Resume a paused thread (or retry a failed one), optionally with a new input for its step')
            [CompletionResult]::new('cancel', 'cancel', [CompletionResultType]::ParameterValue, 'Cancel a running thread')
            [CompletionResult]::new('artifacts', 'artifacts', [CompletionResultType]::ParameterValue, 'List the files a thread produced, or download them')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dodil;scriptum;thread;create' {
            [CompletionResult]::new('--input', '--input', [CompletionResultType]::ParameterName, 'Input: inline JSON, @FILE, or @- for stdin (validated before anything is sent)')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Script version to run (0 = the active version)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Override the default timeout, e.g. 90s, 5m, 1h30m (accepted but not enforced by the service yet)')
            [CompletionResult]::new('--metadata', '--metadata', [CompletionResultType]::ParameterName, 'A label for the thread, KEY=VALUE; repeat for more')
            [CompletionResult]::new('--callback-url', '--callback-url', [CompletionResultType]::ParameterName, 'Webhook called when the thread completes (accepted but not enforced by the service yet)')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Server to talk to: https://host[:port] (TLS), http://host:port (plaintext), or `embedded` (an in-process dev server) [default: https://rpc.dodil.io:443]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use (`staging` and `production` are built in)')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Organization name, sent as x-organization-name [env: DODIL_ORG, SCRIPTUM_ORG_NAME]')
            [CompletionResult]::new('--org-id', '--org-id', [CompletionResultType]::ParameterName, 'Organization id, sent as x-organization-id')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'File holding the bearer token (or set DODIL_TOKEN to the token itself, or store one with `dodil auth login`; a token is never taken as a command-line value)')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'PEM file of a private CA to trust for TLS, in addition to the system''s roots')
            [CompletionResult]::new('--proxy', '--proxy', [CompletionResultType]::ParameterName, 'Proxy for every connection: http://HOST:PORT (CONNECT), socks5://HOST:PORT, socks5h://HOST:PORT, or `none`; overrides HTTPS_PROXY, ALL_PROXY and NO_PROXY (a password only in DODIL_PROXY) [env: DODIL_PROXY]')
            [CompletionResult]::new('--transport', '--transport', [CompletionResultType]::ParameterName, 'How calls travel: grpc (the default), or http: the HTTP gateway (/v1/scriptum/..., JSON bodies, HTTP/1.1 or HTTP/2), for proxies and load balancers that break gRPC')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output through a jq expression (implies -o json; with -o jsonl, each line as it is printed). Strings print raw, other values as compact JSON, one a line')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on a terminal (NO_COLOR turns it off for `auto`)')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Load the tenant''s environment variables into the run')
            [CompletionResult]::new('--insecure-allow-plaintext', '--insecure-allow-plaintext', [CompletionResultType]::ParameterName, 'Allow sending a token over plaintext http:// to a host that is not loopback')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (errors only) [env: RUST_LOG=error]')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (errors only) [env: RUST_LOG=error]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'dodil;scriptum;thread;run' {
            [CompletionResult]::new('--input', '--input', [CompletionResultType]::ParameterName, 'Input: inline JSON, @FILE, or @- for stdin (validated before anything is sent)')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Script version to run (0 = the active version)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Override the default timeout, e.g. 90s, 5m, 1h30m (accepted but not enforced by the service yet)')
            [CompletionResult]::new('--metadata', '--metadata', [CompletionResultType]::ParameterName, 'A label for the thread, KEY=VALUE; repeat for more')
            [CompletionResult]::new('--callback-url', '--callback-url', [CompletionResultType]::ParameterName, 'Webhook called when the thread completes (accepted but not enforced by the service yet)')
            [CompletionResult]::new('--save', '--save', [CompletionResultType]::ParameterName, 'Save the output and step files to DIR once the thread has ended')
            [CompletionResult]::new('--inputs', '--inputs', [CompletionResultType]::ParameterName, 'One thread per non-empty line of FILE (or stdin: -), each line the input as JSON; all lines are checked before the first thread is created')
            [CompletionResult]::new('--parallel', '--parallel', [CompletionResultType]::ParameterName, 'With --inputs: at most N threads running at once')
            [CompletionResult]::new('--follow-timeout', '--follow-timeout', [CompletionResultType]::ParameterName, 'Stop following after DUR, e.g. 30m (exit 6; the thread goes on running)')
            [CompletionResult]::new('--retry-budget', '--retry-budget', [CompletionResultType]::ParameterName, 'How long to keep retrying while the server cannot be reached or keeps failing, before giving up with exit 6')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Server to talk to: https://host[:port] (TLS), http://host:port (plaintext), or `embedded` (an in-process dev server) [default: https://rpc.dodil.io:443]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use (`staging` and `production` are built in)')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Organization name, sent as x-organization-name [env: DODIL_ORG, SCRIPTUM_ORG_NAME]')
            [CompletionResult]::new('--org-id', '--org-id', [CompletionResultType]::ParameterName, 'Organization id, sent as x-organization-id')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'File holding the bearer token (or set DODIL_TOKEN to the token itself, or store one with `dodil auth login`; a token is never taken as a command-line value)')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'PEM file of a private CA to trust for TLS, in addition to the system''s roots')
            [CompletionResult]::new('--proxy', '--proxy', [CompletionResultType]::ParameterName, 'Proxy for every connection: http://HOST:PORT (CONNECT), socks5://HOST:PORT, socks5h://HOST:PORT, or `none`; overrides HTTPS_PROXY, ALL_PROXY and NO_PROXY (a password only in DODIL_PROXY) [env: DODIL_PROXY]')
            [CompletionResult]::new('--transport', '--transport', [CompletionResultType]::ParameterName, 'How calls travel: grpc (the default), or http: the HTTP gateway (/v1/scriptum/..., JSON bodies, HTTP/1.1 or HTTP/2), for proxies and load balancers that break gRPC')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output through a jq expression (implies -o json; with -o jsonl, each line as it is printed). Strings print raw, other values as compact JSON, one a line')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on a terminal (NO_COLOR turns it off for `auto`)')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Load the tenant''s environment variables into the run')
            [CompletionResult]::new('--result', '--result', [CompletionResultType]::ParameterName, 'Print the thread''s result once it has ended')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Let --save use a non-empty DIR, replacing dodil''s files in it (other files are left alone); with --inputs, redo every input, also those a run before completed')
            [CompletionResult]::new('--fail-fast', '--fail-fast', [CompletionResultType]::ParameterName, 'With many threads: stop at the first one that ends other than COMPLETED')
            [CompletionResult]::new('--wait-paused', '--wait-paused', [CompletionResultType]::ParameterName, 'Keep following while the thread is paused for `thread resume`, instead of exiting with 4')
            [CompletionResult]::new('--insecure-allow-plaintext', '--insecure-allow-plaintext', [CompletionResultType]::ParameterName, 'Allow sending a token over plaintext http:// to a host that is not loopback')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (errors only) [env: RUST_LOG=error]')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (errors only) [env: RUST_LOG=error]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'dodil;scriptum;thread;watch' {
            [CompletionResult]::new('--step', '--step', [CompletionResultType]::ParameterName, 'Follow one step instead (e.g. 1.0.2): its snapshot, decision, and end; the exit code comes from the step')
            [CompletionResult]::new('--follow-timeout', '--follow-timeout', [CompletionResultType]::ParameterName, 'Stop following after DUR, e.g. 30m (exit 6; the thread goes on running)')
            [CompletionResult]::new('--retry-budget', '--retry-budget', [CompletionResultType]::ParameterName, 'How long to keep retrying while the server cannot be reached or keeps failing, before giving up with exit 6')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Server to talk to: https://host[:port] (TLS), http://host:port (plaintext), or `embedded` (an in-process dev server) [default: https://rpc.dodil.io:443]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use (`staging` and `production` are built in)')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Organization name, sent as x-organization-name [env: DODIL_ORG, SCRIPTUM_ORG_NAME]')
            [CompletionResult]::new('--org-id', '--org-id', [CompletionResultType]::ParameterName, 'Organization id, sent as x-organization-id')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'File holding the bearer token (or set DODIL_TOKEN to the token itself, or store one with `dodil auth login`; a token is never taken as a command-line value)')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'PEM file of a private CA to trust for TLS, in addition to the system''s roots')
            [CompletionResult]::new('--proxy', '--proxy', [CompletionResultType]::ParameterName, 'Proxy for every connection: http://HOST:PORT (CONNECT), socks5://HOST:PORT, socks5h://HOST:PORT, or `none`; overrides HTTPS_PROXY, ALL_PROXY and NO_PROXY (a password only in DODIL_PROXY) [env: DODIL_PROXY]')
            [CompletionResult]::new('--transport', '--transport', [CompletionResultType]::ParameterName, 'How calls travel: grpc (the default), or http: the HTTP gateway (/v1/scriptum/..., JSON bodies, HTTP/1.1 or HTTP/2), for proxies and load balancers that break gRPC')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output through a jq expression (implies -o json; with -o jsonl, each line as it is printed). Strings print raw, other values as compact JSON, one a line')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on a terminal (NO_COLOR turns it off for `auto`)')
            [CompletionResult]::new('--fail-fast', '--fail-fast', [CompletionResultType]::ParameterName, 'With many threads: stop at the first one that ends other than COMPLETED')
            [CompletionResult]::new('--wait-paused', '--wait-paused', [CompletionResultType]::ParameterName, 'Keep following while the thread is paused for `thread resume`, instead of exiting with 4')
            [CompletionResult]::new('--insecure-allow-plaintext', '--insecure-allow-plaintext', [CompletionResultType]::ParameterName, 'Allow sending a token over plaintext http:// to a host that is not loopback')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (errors only) [env: RUST_LOG=error]')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (errors only) [env: RUST_LOG=error]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'dodil;scriptum;thread;get' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Server to talk to: https://host[:port] (TLS), http://host:port (plaintext), or `embedded` (an in-process dev server) [default: https://rpc.dodil.io:443]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use (`staging` and `production` are built in)')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Organization name, sent as x-organization-name [env: DODIL_ORG, SCRIPTUM_ORG_NAME]')
            [CompletionResult]::new('--org-id', '--org-id', [CompletionResultType]::ParameterName, 'Organization id, sent as x-organization-id')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'File holding the bearer token (or set DODIL_TOKEN to the token itself, or store one with `dodil auth login`; a token is never taken as a command-line value)')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'PEM file of a private CA to trust for TLS, in addition to the system''s roots')
            [CompletionResult]::new('--proxy', '--proxy', [CompletionResultType]::ParameterName, 'Proxy for every connection: http://HOST:PORT (CONNECT), socks5://HOST:PORT, socks5h://HOST:PORT, or `none`; overrides HTTPS_PROXY, ALL_PROXY and NO_PROXY (a password only in DODIL_PROXY) [env: DODIL_PROXY]')
            [CompletionResult]::new('--transport', '--transport', [CompletionResultType]::ParameterName, 'How calls travel: grpc (the default), or http: the HTTP gateway (/v1/scriptum/..., JSON bodies, HTTP/1.1 or HTTP/2), for proxies and load balancers that break gRPC')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output through a jq expression (implies -o json; with -o jsonl, each line as it is printed). Strings print raw, other values as compact JSON, one a line')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on a terminal (NO_COLOR turns it off for `auto`)')
            [CompletionResult]::new('--insecure-allow-plaintext', '--insecure-allow-plaintext', [CompletionResultType]::ParameterName, 'Allow sending a token over plaintext http:// to a host that is not loopback')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (errors only) [env: RUST_LOG=error]')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (errors only) [env: RUST_LOG=error]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'dodil;scriptum;thread;list' {
            [CompletionResult]::new('--script', '--script', [CompletionResultType]::ParameterName, 'Only threads of this script')
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Only threads in this status (or its full enum name, e.g. THREAD_STATUS_FAILED; any case)')
            [CompletionResult]::new('--page-size', '--page-size', [CompletionResultType]::ParameterName, 'Threads to ask for per call')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Stop after N threads')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Server to talk to: https://host[:port] (TLS), http://host:port (plaintext), or `embedded` (an in-process dev server) [default: https://rpc.dodil.io:443]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use (`staging` and `production` are built in)')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Organization name, sent as x-organization-name [env: DODIL_ORG, SCRIPTUM_ORG_NAME]')
            [CompletionResult]::new('--org-id', '--org-id', [CompletionResultType]::ParameterName, 'Organization id, sent as x-organization-id')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'File holding the bearer token (or set DODIL_TOKEN to the token itself, or store one with `dodil auth login`; a token is never taken as a command-line value)')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'PEM file of a private CA to trust for TLS, in addition to the system''s roots')
            [CompletionResult]::new('--proxy', '--proxy', [CompletionResultType]::ParameterName, 'Proxy for every connection: http://HOST:PORT (CONNECT), socks5://HOST:PORT, socks5h://HOST:PORT, or `none`; overrides HTTPS_PROXY, ALL_PROXY and NO_PROXY (a password only in DODIL_PROXY) [env: DODIL_PROXY]')
            [CompletionResult]::new('--transport', '--transport', [CompletionResultType]::ParameterName, 'How calls travel: grpc (the default), or http: the HTTP gateway (/v1/scriptum/..., JSON bodies, HTTP/1.1 or HTTP/2), for proxies and load balancers that break gRPC')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output through a jq expression (implies -o json; with -o jsonl, each line as it is printed). Strings print raw, other values as compact JSON, one a line')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on a terminal (NO_COLOR turns it off for `auto`)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Follow every page to the end')
            [CompletionResult]::new('--insecure-allow-plaintext', '--insecure-allow-plaintext', [CompletionResultType]::ParameterName, 'Allow sending a token over plaintext http:// to a host that is not loopback')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (errors only) [env: RUST_LOG=error]')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (errors only) [env: RUST_LOG=error]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'dodil;scriptum;thread;result' {
            [CompletionResult]::new('--save', '--save', [CompletionResultType]::ParameterName, 'Write output.json, summary.json, yields.jsonl and steps/ into DIR (created if missing)')
            [CompletionResult]::new('--follow-timeout', '--follow-timeout', [CompletionResultType]::ParameterName, 'Stop following after DUR, e.g. 30m (exit 6; the thread goes on running)')
            [CompletionResult]::new('--retry-budget', '--retry-budget', [CompletionResultType]::ParameterName, 'How long to keep retrying while the server cannot be reached or keeps failing, before giving up with exit 6')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Server to talk to: https://host[:port] (TLS), http://host:port (plaintext), or `embedded` (an in-process dev server) [default: https://rpc.dodil.io:443]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use (`staging` and `production` are built in)')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Organization name, sent as x-organization-name [env: DODIL_ORG, SCRIPTUM_ORG_NAME]')
            [CompletionResult]::new('--org-id', '--org-id', [CompletionResultType]::ParameterName, 'Organization id, sent as x-organization-id')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'File holding the bearer token (or set DODIL_TOKEN to the token itself, or store one with `dodil auth login`; a token is never taken as a command-line value)')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'PEM file of a private CA to trust for TLS, in addition to the system''s roots')
            [CompletionResult]::new('--proxy', '--proxy', [CompletionResultType]::ParameterName, 'Proxy for every connection: http://HOST:PORT (CONNECT), socks5://HOST:PORT, socks5h://HOST:PORT, or `none`; overrides HTTPS_PROXY, ALL_PROXY and NO_PROXY (a password only in DODIL_PROXY) [env: DODIL_PROXY]')
            [CompletionResult]::new('--transport', '--transport', [CompletionResultType]::ParameterName, 'How calls travel: grpc (the default), or http: the HTTP gateway (/v1/scriptum/..., JSON bodies, HTTP/1.1 or HTTP/2), for proxies and load balancers that break gRPC')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output through a jq expression (implies -o json; with -o jsonl, each line as it is printed). Strings print raw, other values as compact JSON, one a line')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on a terminal (NO_COLOR turns it off for `auto`)')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Follow the thread to its end first (live progress on stderr)')
            [CompletionResult]::new('--wait-paused', '--wait-paused', [CompletionResultType]::ParameterName, 'Keep following while the thread is paused for `thread resume`, instead of exiting with 4')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Let --save use a non-empty DIR, replacing dodil''s files in it (other files are left alone)')
            [CompletionResult]::new('--insecure-allow-plaintext', '--insecure-allow-plaintext', [CompletionResultType]::ParameterName, 'Allow sending a token over plaintext http:// to a host that is not loopback')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (errors only) [env: RUST_LOG=error]')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (errors only) [env: RUST_LOG=error]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'dodil;scriptum;thread;steps' {
            [CompletionResult]::new('--step', '--step', [CompletionResultType]::ParameterName, 'One step, by path (e.g. 1.2.0): its detail, diagnostics, input and output')
            [CompletionResult]::new('--save', '--save', [CompletionResultType]::ParameterName, 'Write steps/<path>/{step,input,output}.json into DIR (created if missing); implies --detail')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Server to talk to: https://host[:port] (TLS), http://host:port (plaintext), or `embedded` (an in-process dev server) [default: https://rpc.dodil.io:443]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use (`staging` and `production` are built in)')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Organization name, sent as x-organization-name [env: DODIL_ORG, SCRIPTUM_ORG_NAME]')
            [CompletionResult]::new('--org-id', '--org-id', [CompletionResultType]::ParameterName, 'Organization id, sent as x-organization-id')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'File holding the bearer token (or set DODIL_TOKEN to the token itself, or store one with `dodil auth login`; a token is never taken as a command-line value)')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'PEM file of a private CA to trust for TLS, in addition to the system''s roots')
            [CompletionResult]::new('--proxy', '--proxy', [CompletionResultType]::ParameterName, 'Proxy for every connection: http://HOST:PORT (CONNECT), socks5://HOST:PORT, socks5h://HOST:PORT, or `none`; overrides HTTPS_PROXY, ALL_PROXY and NO_PROXY (a password only in DODIL_PROXY) [env: DODIL_PROXY]')
            [CompletionResult]::new('--transport', '--transport', [CompletionResultType]::ParameterName, 'How calls travel: grpc (the default), or http: the HTTP gateway (/v1/scriptum/..., JSON bodies, HTTP/1.1 or HTTP/2), for proxies and load balancers that break gRPC')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output through a jq expression (implies -o json; with -o jsonl, each line as it is printed). Strings print raw, other values as compact JSON, one a line')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on a terminal (NO_COLOR turns it off for `auto`)')
            [CompletionResult]::new('--detail', '--detail', [CompletionResultType]::ParameterName, 'Stream the full input and output of every step (or of --step), reassembling large ones')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Let --save use a non-empty DIR, replacing dodil''s files in it (other files are left alone)')
            [CompletionResult]::new('--insecure-allow-plaintext', '--insecure-allow-plaintext', [CompletionResultType]::ParameterName, 'Allow sending a token over plaintext http:// to a host that is not loopback')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (errors only) [env: RUST_LOG=error]')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (errors only) [env: RUST_LOG=error]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'dodil;scriptum;thread;resume' {
            [CompletionResult]::new('--input', '--input', [CompletionResultType]::ParameterName, 'New input for the waiting or failed step: inline JSON, @FILE, or @- for stdin')
            [CompletionResult]::new('--save', '--save', [CompletionResultType]::ParameterName, 'With --watch: once the thread has ended, save its output and step files to DIR, and every value it yielded (also those before the resume) to yields.jsonl')
            [CompletionResult]::new('--follow-timeout', '--follow-timeout', [CompletionResultType]::ParameterName, 'Stop following after DUR, e.g. 30m (exit 6; the thread goes on running)')
            [CompletionResult]::new('--retry-budget', '--retry-budget', [CompletionResultType]::ParameterName, 'How long to keep retrying while the server cannot be reached or keeps failing, before giving up with exit 6')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Server to talk to: https://host[:port] (TLS), http://host:port (plaintext), or `embedded` (an in-process dev server) [default: https://rpc.dodil.io:443]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use (`staging` and `production` are built in)')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Organization name, sent as x-organization-name [env: DODIL_ORG, SCRIPTUM_ORG_NAME]')
            [CompletionResult]::new('--org-id', '--org-id', [CompletionResultType]::ParameterName, 'Organization id, sent as x-organization-id')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'File holding the bearer token (or set DODIL_TOKEN to the token itself, or store one with `dodil auth login`; a token is never taken as a command-line value)')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'PEM file of a private CA to trust for TLS, in addition to the system''s roots')
            [CompletionResult]::new('--proxy', '--proxy', [CompletionResultType]::ParameterName, 'Proxy for every connection: http://HOST:PORT (CONNECT), socks5://HOST:PORT, socks5h://HOST:PORT, or `none`; overrides HTTPS_PROXY, ALL_PROXY and NO_PROXY (a password only in DODIL_PROXY) [env: DODIL_PROXY]')
            [CompletionResult]::new('--transport', '--transport', [CompletionResultType]::ParameterName, 'How calls travel: grpc (the default), or http: the HTTP gateway (/v1/scriptum/..., JSON bodies, HTTP/1.1 or HTTP/2), for proxies and load balancers that break gRPC')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output through a jq expression (implies -o json; with -o jsonl, each line as it is printed). Strings print raw, other values as compact JSON, one a line')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on a terminal (NO_COLOR turns it off for `auto`)')
            [CompletionResult]::new('--watch', '--watch', [CompletionResultType]::ParameterName, 'Then follow the thread to its end, as `thread watch` does')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Let --save use a non-empty DIR, replacing dodil''s files in it (other files are left alone)')
            [CompletionResult]::new('--wait-paused', '--wait-paused', [CompletionResultType]::ParameterName, 'Keep following while the thread is paused for `thread resume`, instead of exiting with 4')
            [CompletionResult]::new('--insecure-allow-plaintext', '--insecure-allow-plaintext', [CompletionResultType]::ParameterName, 'Allow sending a token over plaintext http:// to a host that is not loopback')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (errors only) [env: RUST_LOG=error]')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (errors only) [env: RUST_LOG=error]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'dodil;scriptum;thread;cancel' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why, recorded with the cancellation')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Server to talk to: https://host[:port] (TLS), http://host:port (plaintext), or `embedded` (an in-process dev server) [default: https://rpc.dodil.io:443]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use (`staging` and `production` are built in)')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Organization name, sent as x-organization-name [env: DODIL_ORG, SCRIPTUM_ORG_NAME]')
            [CompletionResult]::new('--org-id', '--org-id', [CompletionResultType]::ParameterName, 'Organization id, sent as x-organization-id')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'File holding the bearer token (or set DODIL_TOKEN to the token itself, or store one with `dodil auth login`; a token is never taken as a command-line value)')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'PEM file of a private CA to trust for TLS, in addition to the system''s roots')
            [CompletionResult]::new('--proxy', '--proxy', [CompletionResultType]::ParameterName, 'Proxy for every connection: http://HOST:PORT (CONNECT), socks5://HOST:PORT, socks5h://HOST:PORT, or `none`; overrides HTTPS_PROXY, ALL_PROXY and NO_PROXY (a password only in DODIL_PROXY) [env: DODIL_PROXY]')
            [CompletionResult]::new('--transport', '--transport', [CompletionResultType]::ParameterName, 'How calls travel: grpc (the default), or http: the HTTP gateway (/v1/scriptum/..., JSON bodies, HTTP/1.1 or HTTP/2), for proxies and load balancers that break gRPC')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output through a jq expression (implies -o json; with -o jsonl, each line as it is printed). Strings print raw, other values as compact JSON, one a line')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on a terminal (NO_COLOR turns it off for `auto`)')
            [CompletionResult]::new('--insecure-allow-plaintext', '--insecure-allow-plaintext', [CompletionResultType]::ParameterName, 'Allow sending a token over plaintext http:// to a host that is not loopback')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (errors only) [env: RUST_LOG=error]')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (errors only) [env: RUST_LOG=error]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'dodil;scriptum;thread;artifacts' {
            [CompletionResult]::new('--save', '--save', [CompletionResultType]::ParameterName, 'Download every artifact into DIR (each file whole or not at all, sizes checked)')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Server to talk to: https://host[:port] (TLS), http://host:port (plaintext), or `embedded` (an in-process dev server) [default: https://rpc.dodil.io:443]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use (`staging` and `production` are built in)')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Organization name, sent as x-organization-name [env: DODIL_ORG, SCRIPTUM_ORG_NAME]')
            [CompletionResult]::new('--org-id', '--org-id', [CompletionResultType]::ParameterName, 'Organization id, sent as x-organization-id')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'File holding the bearer token (or set DODIL_TOKEN to the token itself, or store one with `dodil auth login`; a token is never taken as a command-line value)')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'PEM file of a private CA to trust for TLS, in addition to the system''s roots')
            [CompletionResult]::new('--proxy', '--proxy', [CompletionResultType]::ParameterName, 'Proxy for every connection: http://HOST:PORT (CONNECT), socks5://HOST:PORT, socks5h://HOST:PORT, or `none`; overrides HTTPS_PROXY, ALL_PROXY and NO_PROXY (a password only in DODIL_PROXY) [env: DODIL_PROXY]')
            [CompletionResult]::new('--transport', '--transport', [CompletionResultType]::ParameterName, 'How calls travel: grpc (the default), or http: the HTTP gateway (/v1/scriptum/..., JSON bodies, HTTP/1.1 or HTTP/2), for proxies and load balancers that break gRPC')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output through a jq expression (implies -o json; with -o jsonl, each line as it is printed). Strings print raw, other values as compact JSON, one a line')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on a terminal (NO_COLOR turns it off for `auto`)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Allow --save into a non-empty DIR, replacing files of the same names')
            [CompletionResult]::new('--insecure-allow-plaintext', '--insecure-allow-plaintext', [CompletionResultType]::ParameterName, 'Allow sending a token over plaintext http:// to a host that is not loopback')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (errors only) [env: RUST_LOG=error]')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (errors only) [env: RUST_LOG=error]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'dodil;scriptum;thread;help' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Start a thread and print its id at once, without waiting for it')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Start a thread and follow it to the end; the exit code tells how it ended')
            [CompletionResult]::new('watch', 'watch', [CompletionResultType]::ParameterValue, 'Follow an existing thread to the end (or report it, if it has ended)')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Show a thread''s status and progress')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List recent threads, newest first')
            [CompletionResult]::new('result', 'result', [CompletionResultType]::ParameterValue, 'Print a thread''s final output (streamed in full when large), or save it with its steps')
            [CompletionResult]::new('steps', 'steps', [CompletionResultType]::ParameterValue, 'Show a thread''s steps as a tree, one step in detail, or every step''s full input/output')
            [CompletionResult]::new('resume', 'resume', [CompletionResultType]::ParameterValue, 'Resume a paused thread (or retry a failed one), optionally with a new input for its step')
            [CompletionResult]::new('cancel', 'cancel', [CompletionResultType]::ParameterValue, 'Cancel a running thread')
            [CompletionResult]::new('artifacts', 'artifacts', [CompletionResultType]::ParameterValue, 'List the files a thread produced, or download them')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dodil;scriptum;thread;help;create' {
            break
        }
        'dodil;scriptum;thread;help;run' {
            break
        }
        'dodil;scriptum;thread;help;watch' {
            break
        }
        'dodil;scriptum;thread;help;get' {
            break
        }
        'dodil;scriptum;thread;help;list' {
            break
        }
        'dodil;scriptum;thread;help;result' {
            break
        }
        'dodil;scriptum;thread;help;steps' {
            break
        }
        'dodil;scriptum;thread;help;resume' {
            break
        }
        'dodil;scriptum;thread;help;cancel' {
            break
        }
        'dodil;scriptum;thread;help;artifacts' {
            break
        }
        'dodil;scriptum;thread;help;help' {
            break
        }
        'dodil;scriptum;dev-server' {
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Address to listen on; port 0 picks a free one (the first stdout line says which)')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'Require `authorization: Bearer <token>` on every call, the token read from this file [env: DODIL_DEVSERVER_TOKEN holds the token itself]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Require this bearer token. For local testing only: other users can read argv; prefer --token-file or DODIL_DEVSERVER_TOKEN')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Persist threads in this directory [default: $DODIL_DATA_DIR, else <platform data dir>/dodil/devserver, shared with --endpoint embedded]')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'Serve TLS with this PEM certificate (chain) instead of a generated one; needs --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'The PEM private key of --tls-cert')
            [CompletionResult]::new('--speed', '--speed', [CompletionResultType]::ParameterName, 'Time scale: 10 runs every script ten times faster')
            [CompletionResult]::new('--scripts', '--scripts', [CompletionResultType]::ParameterName, 'Load scenario files (*.yaml) from this directory (see the README for the format)')
            [CompletionResult]::new('--artifacts', '--artifacts', [CompletionResultType]::ParameterName, 'Make ListArtifacts list this directory''s files, downloadable from a local HTTP server (the real service answers UNIMPLEMENTED)')
            [CompletionResult]::new('--compress', '--compress', [CompletionResultType]::ParameterName, 'Compress every answer with this encoding when the client accepts it')
            [CompletionResult]::new('--faults', '--faults', [CompletionResultType]::ParameterName, 'Fault switches in the DODIL_DEVSERVER_FAULTS grammar, e.g. `watch-drop-after=3,unavailable=GetThread:2`; adds to the --fault-* flags. The HTTP gateway''s are only here: http-html-error=METHOD (a proxy''s 502 HTML page), http-non-json=METHOD (a 200 of plain text), http-truncate=METHOD (the body cut in half)')
            [CompletionResult]::new('--fault-watch-drop-after', '--fault-watch-drop-after', [CompletionResultType]::ParameterName, 'Every watch stream ends (no terminal event) after N live events past its catch-up')
            [CompletionResult]::new('--fault-unavailable', '--fault-unavailable', [CompletionResultType]::ParameterName, 'The first N calls of METHOD (an RPC name, or * for each) answer UNAVAILABLE; repeatable')
            [CompletionResult]::new('--fault-latency-ms', '--fault-latency-ms', [CompletionResultType]::ParameterName, 'Every call waits this many milliseconds before it is answered')
            [CompletionResult]::new('--fault-chunk-skip', '--fault-chunk-skip', [CompletionResultType]::ParameterName, 'Result streams never send chunk K')
            [CompletionResult]::new('--fault-chunk-repeat', '--fault-chunk-repeat', [CompletionResultType]::ParameterName, 'Result streams send chunk K twice')
            [CompletionResult]::new('--fault-chunk-reorder', '--fault-chunk-reorder', [CompletionResultType]::ParameterName, 'Result streams send chunk K+1 before chunk K')
            [CompletionResult]::new('--fault-chunk-short', '--fault-chunk-short', [CompletionResultType]::ParameterName, 'Result streams send only half of chunk K''s bytes')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Server to talk to: https://host[:port] (TLS), http://host:port (plaintext), or `embedded` (an in-process dev server) [default: https://rpc.dodil.io:443]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use (`staging` and `production` are built in)')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Organization name, sent as x-organization-name [env: DODIL_ORG, SCRIPTUM_ORG_NAME]')
            [CompletionResult]::new('--org-id', '--org-id', [CompletionResultType]::ParameterName, 'Organization id, sent as x-organization-id')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'PEM file of a private CA to trust for TLS, in addition to the system''s roots')
            [CompletionResult]::new('--proxy', '--proxy', [CompletionResultType]::ParameterName, 'Proxy for every connection: http://HOST:PORT (CONNECT), socks5://HOST:PORT, socks5h://HOST:PORT, or `none`; overrides HTTPS_PROXY, ALL_PROXY and NO_PROXY (a password only in DODIL_PROXY) [env: DODIL_PROXY]')
            [CompletionResult]::new('--transport', '--transport', [CompletionResultType]::ParameterName, 'How calls travel: grpc (the default), or http: the HTTP gateway (/v1/scriptum/..., JSON bodies, HTTP/1.1 or HTTP/2), for proxies and load balancers that break gRPC')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output through a jq expression (implies -o json; with -o jsonl, each line as it is printed). Strings print raw, other values as compact JSON, one a line')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on a terminal (NO_COLOR turns it off for `auto`)')
            [CompletionResult]::new('--ephemeral', '--ephemeral', [CompletionResultType]::ParameterName, 'Keep threads in memory only; they vanish when the server stops')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Serve TLS (https://) with a certificate made at start for localhost, 127.0.0.1 and ::1; the second stdout line names its CA''s PEM file, for a client''s --ca-cert')
            [CompletionResult]::new('--implement-cancel', '--implement-cancel', [CompletionResultType]::ParameterName, 'Make CancelThread work (the real service answers UNIMPLEMENTED)')
            [CompletionResult]::new('--fault-watch-no-terminal', '--fault-watch-no-terminal', [CompletionResultType]::ParameterName, 'Watch streams end where the terminal event would be, without sending it')
            [CompletionResult]::new('--fault-watch-unimplemented', '--fault-watch-unimplemented', [CompletionResultType]::ParameterName, 'WatchThread and WatchStep answer UNIMPLEMENTED')
            [CompletionResult]::new('--fault-page-repeat', '--fault-page-repeat', [CompletionResultType]::ParameterName, 'ListThreads hands back the page token it was given instead of the next one')
            [CompletionResult]::new('--fault-chunk-no-final', '--fault-chunk-no-final', [CompletionResultType]::ParameterName, 'Result streams never set is_final')
            [CompletionResult]::new('--fault-chunk-extra', '--fault-chunk-extra', [CompletionResultType]::ParameterName, 'Result streams send one more chunk after the final one')
            [CompletionResult]::new('--fault-meta-total-mismatch', '--fault-meta-total-mismatch', [CompletionResultType]::ParameterName, 'StreamThreadResult''s meta total_bytes is 1000 more than the chunks carry')
            [CompletionResult]::new('--fault-result-total-mismatch', '--fault-result-total-mismatch', [CompletionResultType]::ParameterName, 'GetThreadResult''s output_total_bytes is 1000 more than the stream delivers')
            [CompletionResult]::new('--fault-bad-enums', '--fault-bad-enums', [CompletionResultType]::ParameterName, 'Every status is 42 (outside the contract); WatchThread adds an event with no variant')
            [CompletionResult]::new('--fault-hostile-names', '--fault-hostile-names', [CompletionResultType]::ParameterName, 'Step paths and names carry terminal escapes, `..`, `/abs`, `a/b` and NUL')
            [CompletionResult]::new('--fault-huge-message', '--fault-huge-message', [CompletionResultType]::ParameterName, 'GetThreadResult returns the whole output uncapped and StreamThreadResult sends it as one message (for max-message-size tests)')
            [CompletionResult]::new('--insecure-allow-plaintext', '--insecure-allow-plaintext', [CompletionResultType]::ParameterName, 'Allow sending a token over plaintext http:// to a host that is not loopback')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (errors only) [env: RUST_LOG=error]')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (errors only) [env: RUST_LOG=error]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'dodil;scriptum;verify' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Server to talk to: https://host[:port] (TLS), http://host:port (plaintext), or `embedded` (an in-process dev server) [default: https://rpc.dodil.io:443]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use (`staging` and `production` are built in)')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Organization name, sent as x-organization-name [env: DODIL_ORG, SCRIPTUM_ORG_NAME]')
            [CompletionResult]::new('--org-id', '--org-id', [CompletionResultType]::ParameterName, 'Organization id, sent as x-organization-id')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'File holding the bearer token (or set DODIL_TOKEN to the token itself, or store one with `dodil auth login`; a token is never taken as a command-line value)')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'PEM file of a private CA to trust for TLS, in addition to the system''s roots')
            [CompletionResult]::new('--proxy', '--proxy', [CompletionResultType]::ParameterName, 'Proxy for every connection: http://HOST:PORT (CONNECT), socks5://HOST:PORT, socks5h://HOST:PORT, or `none`; overrides HTTPS_PROXY, ALL_PROXY and NO_PROXY (a password only in DODIL_PROXY) [env: DODIL_PROXY]')
            [CompletionResult]::new('--transport', '--transport', [CompletionResultType]::ParameterName, 'How calls travel: grpc (the default), or http: the HTTP gateway (/v1/scriptum/..., JSON bodies, HTTP/1.1 or HTTP/2), for proxies and load balancers that break gRPC')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output through a jq expression (implies -o json; with -o jsonl, each line as it is printed). Strings print raw, other values as compact JSON, one a line')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on a terminal (NO_COLOR turns it off for `auto`)')
            [CompletionResult]::new('--insecure-allow-plaintext', '--insecure-allow-plaintext', [CompletionResultType]::ParameterName, 'Allow sending a token over plaintext http:// to a host that is not loopback')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (errors only) [env: RUST_LOG=error]')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (errors only) [env: RUST_LOG=error]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'dodil;scriptum;help' {
            [CompletionResult]::new('thread', 'thread', [CompletionResultType]::ParameterValue, 'Create, follow and inspect threads (executions of a script)')
            [CompletionResult]::new('dev-server', 'dev-server', [CompletionResultType]::ParameterValue, 'Run a local Scriptum simulator for tests and CI (demos, scenario files, fault switches)')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check a --save directory against its summary.json: every listed file there, whole, unchanged')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dodil;scriptum;help;thread' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Start a thread and print its id at once, without waiting for it')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Start a thread and follow it to the end; the exit code tells how it ended')
            [CompletionResult]::new('watch', 'watch', [CompletionResultType]::ParameterValue, 'Follow an existing thread to the end (or report it, if it has ended)')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Show a thread''s status and progress')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List recent threads, newest first')
            [CompletionResult]::new('result', 'result', [CompletionResultType]::ParameterValue, 'Print a thread''s final output (streamed in full when large), or save it with its steps')
            [CompletionResult]::new('steps', 'steps', [CompletionResultType]::ParameterValue, 'Show a thread''s steps as a tree, one step in detail, or every step''s full input/output')
            [CompletionResult]::new('resume', 'resume', [CompletionResultType]::ParameterValue, 'Resume a paused thread (or retry a failed one), optionally with a new input for its step')
            [CompletionResult]::new('cancel', 'cancel', [CompletionResultType]::ParameterValue, 'Cancel a running thread')
            [CompletionResult]::new('artifacts', 'artifacts', [CompletionResultType]::ParameterValue, 'List the files a thread produced, or download them')
            break
        }
        'dodil;scriptum;help;thread;create' {
            break
        }
        'dodil;scriptum;help;thread;run' {
            break
        }
        'dodil;scriptum;help;thread;watch' {
            break
        }
        'dodil;scriptum;help;thread;get' {
            break
        }
        'dodil;scriptum;help;thread;list' {
            break
        }
        'dodil;scriptum;help;thread;result' {
            break
        }
        'dodil;scriptum;help;thread;steps' {
            break
        }
        'dodil;scriptum;help;thread;resume' {
            break
        }
        'dodil;scriptum;help;thread;cancel' {
            break
        }
        'dodil;scriptum;help;thread;artifacts' {
            break
        }
        'dodil;scriptum;help;dev-server' {
            break
        }
        'dodil;scriptum;help;verify' {
            break
        }
        'dodil;scriptum;help;help' {
            break
        }
        'dodil;auth' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Server to talk to: https://host[:port] (TLS), http://host:port (plaintext), or `embedded` (an in-process dev server) [default: https://rpc.dodil.io:443]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use (`staging` and `production` are built in)')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Organization name, sent as x-organization-name [env: DODIL_ORG, SCRIPTUM_ORG_NAME]')
            [CompletionResult]::new('--org-id', '--org-id', [CompletionResultType]::ParameterName, 'Organization id, sent as x-organization-id')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'File holding the bearer token (or set DODIL_TOKEN to the token itself, or store one with `dodil auth login`; a token is never taken as a command-line value)')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'PEM file of a private CA to trust for TLS, in addition to the system''s roots')
            [CompletionResult]::new('--proxy', '--proxy', [CompletionResultType]::ParameterName, 'Proxy for every connection: http://HOST:PORT (CONNECT), socks5://HOST:PORT, socks5h://HOST:PORT, or `none`; overrides HTTPS_PROXY, ALL_PROXY and NO_PROXY (a password only in DODIL_PROXY) [env: DODIL_PROXY]')
            [CompletionResult]::new('--transport', '--transport', [CompletionResultType]::ParameterName, 'How calls travel: grpc (the default), or http: the HTTP gateway (/v1/scriptum/..., JSON bodies, HTTP/1.1 or HTTP/2), for proxies and load balancers that break gRPC')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output through a jq expression (implies -o json; with -o jsonl, each line as it is printed). Strings print raw, other values as compact JSON, one a line')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on a terminal (NO_COLOR turns it off for `auto`)')
            [CompletionResult]::new('--insecure-allow-plaintext', '--insecure-allow-plaintext', [CompletionResultType]::ParameterName, 'Allow sending a token over plaintext http:// to a host that is not loopback')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (errors only) [env: RUST_LOG=error]')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (errors only) [env: RUST_LOG=error]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Read a token from stdin and keep it for this profile and endpoint in the platform''s keyring (a file of mode 0600 where none answers)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Say where the token comes from and whether the server accepts it (never the token)')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Forget the token stored for this profile and endpoint (keyring entry and file)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dodil;auth;login' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Server to talk to: https://host[:port] (TLS), http://host:port (plaintext), or `embedded` (an in-process dev server) [default: https://rpc.dodil.io:443]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use (`staging` and `production` are built in)')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Organization name, sent as x-organization-name [env: DODIL_ORG, SCRIPTUM_ORG_NAME]')
            [CompletionResult]::new('--org-id', '--org-id', [CompletionResultType]::ParameterName, 'Organization id, sent as x-organization-id')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'File holding the bearer token (or set DODIL_TOKEN to the token itself, or store one with `dodil auth login`; a token is never taken as a command-line value)')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'PEM file of a private CA to trust for TLS, in addition to the system''s roots')
            [CompletionResult]::new('--proxy', '--proxy', [CompletionResultType]::ParameterName, 'Proxy for every connection: http://HOST:PORT (CONNECT), socks5://HOST:PORT, socks5h://HOST:PORT, or `none`; overrides HTTPS_PROXY, ALL_PROXY and NO_PROXY (a password only in DODIL_PROXY) [env: DODIL_PROXY]')
            [CompletionResult]::new('--transport', '--transport', [CompletionResultType]::ParameterName, 'How calls travel: grpc (the default), or http: the HTTP gateway (/v1/scriptum/..., JSON bodies, HTTP/1.1 or HTTP/2), for proxies and load balancers that break gRPC')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output through a jq expression (implies -o json; with -o jsonl, each line as it is printed). Strings print raw, other values as compact JSON, one a line')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on a terminal (NO_COLOR turns it off for `auto`)')
            [CompletionResult]::new('--with-token', '--with-token', [CompletionResultType]::ParameterName, 'Read the token from stdin, one line (without it, stdin is read too when it is not a terminal)')
            [CompletionResult]::new('--insecure-allow-plaintext', '--insecure-allow-plaintext', [CompletionResultType]::ParameterName, 'Allow sending a token over plaintext http:// to a host that is not loopback')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (errors only) [env: RUST_LOG=error]')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (errors only) [env: RUST_LOG=error]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'dodil;auth;status' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Server to talk to: https://host[:port] (TLS), http://host:port (plaintext), or `embedded` (an in-process dev server) [default: https://rpc.dodil.io:443]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use (`staging` and `production` are built in)')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Organization name, sent as x-organization-name [env: DODIL_ORG, SCRIPTUM_ORG_NAME]')
            [CompletionResult]::new('--org-id', '--org-id', [CompletionResultType]::ParameterName, 'Organization id, sent as x-organization-id')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'File holding the bearer token (or set DODIL_TOKEN to the token itself, or store one with `dodil auth login`; a token is never taken as a command-line value)')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'PEM file of a private CA to trust for TLS, in addition to the system''s roots')
            [CompletionResult]::new('--proxy', '--proxy', [CompletionResultType]::ParameterName, 'Proxy for every connection: http://HOST:PORT (CONNECT), socks5://HOST:PORT, socks5h://HOST:PORT, or `none`; overrides HTTPS_PROXY, ALL_PROXY and NO_PROXY (a password only in DODIL_PROXY) [env: DODIL_PROXY]')
            [CompletionResult]::new('--transport', '--transport', [CompletionResultType]::ParameterName, 'How calls travel: grpc (the default), or http: the HTTP gateway (/v1/scriptum/..., JSON bodies, HTTP/1.1 or HTTP/2), for proxies and load balancers that break gRPC')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output through a jq expression (implies -o json; with -o jsonl, each line as it is printed). Strings print raw, other values as compact JSON, one a line')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on a terminal (NO_COLOR turns it off for `auto`)')
            [CompletionResult]::new('--insecure-allow-plaintext', '--insecure-allow-plaintext', [CompletionResultType]::ParameterName, 'Allow sending a token over plaintext http:// to a host that is not loopback')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (errors only) [env: RUST_LOG=error]')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (errors only) [env: RUST_LOG=error]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'dodil;auth;logout' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Server to talk to: https://host[:port] (TLS), http://host:port (plaintext), or `embedded` (an in-process dev server) [default: https://rpc.dodil.io:443]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use (`staging` and `production` are built in)')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Organization name, sent as x-organization-name [env: DODIL_ORG, SCRIPTUM_ORG_NAME]')
            [CompletionResult]::new('--org-id', '--org-id', [CompletionResultType]::ParameterName, 'Organization id, sent as x-organization-id')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'File holding the bearer token (or set DODIL_TOKEN to the token itself, or store one with `dodil auth login`; a token is never taken as a command-line value)')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'PEM file of a private CA to trust for TLS, in addition to the system''s roots')
            [CompletionResult]::new('--proxy', '--proxy', [CompletionResultType]::ParameterName, 'Proxy for every connection: http://HOST:PORT (CONNECT), socks5://HOST:PORT, socks5h://HOST:PORT, or `none`; overrides HTTPS_PROXY, ALL_PROXY and NO_PROXY (a password only in DODIL_PROXY) [env: DODIL_PROXY]')
            [CompletionResult]::new('--transport', '--transport', [CompletionResultType]::ParameterName, 'How calls travel: grpc (the default), or http: the HTTP gateway (/v1/scriptum/..., JSON bodies, HTTP/1.1 or HTTP/2), for proxies and load balancers that break gRPC')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output through a jq expression (implies -o json; with -o jsonl, each line as it is printed). Strings print raw, other values as compact JSON, one a line')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on a terminal (NO_COLOR turns it off for `auto`)')
            [CompletionResult]::new('--insecure-allow-plaintext', '--insecure-allow-plaintext', [CompletionResultType]::ParameterName, 'Allow sending a token over plaintext http:// to a host that is not loopback')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (errors only) [env: RUST_LOG=error]')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (errors only) [env: RUST_LOG=error]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'dodil;auth;help' {
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Read a token from stdin and keep it for this profile and endpoint in the platform''s keyring (a file of mode 0600 where none answers)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Say where the token comes from and whether the server accepts it (never the token)')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Forget the token stored for this profile and endpoint (keyring entry and file)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dodil;auth;help;login' {
            break
        }
        'dodil;auth;help;status' {
            break
        }
        'dodil;auth;help;logout' {
            break
        }
        'dodil;auth;help;help' {
            break
        }
        'dodil;completions' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Server to talk to: https://host[:port] (TLS), http://host:port (plaintext), or `embedded` (an in-process dev server) [default: https://rpc.dodil.io:443]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use (`staging` and `production` are built in)')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Organization name, sent as x-organization-name [env: DODIL_ORG, SCRIPTUM_ORG_NAME]')
            [CompletionResult]::new('--org-id', '--org-id', [CompletionResultType]::ParameterName, 'Organization id, sent as x-organization-id')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'File holding the bearer token (or set DODIL_TOKEN to the token itself, or store one with `dodil auth login`; a token is never taken as a command-line value)')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'PEM file of a private CA to trust for TLS, in addition to the system''s roots')
            [CompletionResult]::new('--proxy', '--proxy', [CompletionResultType]::ParameterName, 'Proxy for every connection: http://HOST:PORT (CONNECT), socks5://HOST:PORT, socks5h://HOST:PORT, or `none`; overrides HTTPS_PROXY, ALL_PROXY and NO_PROXY (a password only in DODIL_PROXY) [env: DODIL_PROXY]')
            [CompletionResult]::new('--transport', '--transport', [CompletionResultType]::ParameterName, 'How calls travel: grpc (the default), or http: the HTTP gateway (/v1/scriptum/..., JSON bodies, HTTP/1.1 or HTTP/2), for proxies and load balancers that break gRPC')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output through a jq expression (implies -o json; with -o jsonl, each line as it is printed). Strings print raw, other values as compact JSON, one a line')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on a terminal (NO_COLOR turns it off for `auto`)')
            [CompletionResult]::new('--insecure-allow-plaintext', '--insecure-allow-plaintext', [CompletionResultType]::ParameterName, 'Allow sending a token over plaintext http:// to a host that is not loopback')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (errors only) [env: RUST_LOG=error]')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (errors only) [env: RUST_LOG=error]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'dodil;man' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Write dodil.1 and one page per command (dodil-scriptum-thread-get.1, ...) into DIR')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Server to talk to: https://host[:port] (TLS), http://host:port (plaintext), or `embedded` (an in-process dev server) [default: https://rpc.dodil.io:443]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use (`staging` and `production` are built in)')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Organization name, sent as x-organization-name [env: DODIL_ORG, SCRIPTUM_ORG_NAME]')
            [CompletionResult]::new('--org-id', '--org-id', [CompletionResultType]::ParameterName, 'Organization id, sent as x-organization-id')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'File holding the bearer token (or set DODIL_TOKEN to the token itself, or store one with `dodil auth login`; a token is never taken as a command-line value)')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'PEM file of a private CA to trust for TLS, in addition to the system''s roots')
            [CompletionResult]::new('--proxy', '--proxy', [CompletionResultType]::ParameterName, 'Proxy for every connection: http://HOST:PORT (CONNECT), socks5://HOST:PORT, socks5h://HOST:PORT, or `none`; overrides HTTPS_PROXY, ALL_PROXY and NO_PROXY (a password only in DODIL_PROXY) [env: DODIL_PROXY]')
            [CompletionResult]::new('--transport', '--transport', [CompletionResultType]::ParameterName, 'How calls travel: grpc (the default), or http: the HTTP gateway (/v1/scriptum/..., JSON bodies, HTTP/1.1 or HTTP/2), for proxies and load balancers that break gRPC')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output through a jq expression (implies -o json; with -o jsonl, each line as it is printed). Strings print raw, other values as compact JSON, one a line')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on a terminal (NO_COLOR turns it off for `auto`)')
            [CompletionResult]::new('--insecure-allow-plaintext', '--insecure-allow-plaintext', [CompletionResultType]::ParameterName, 'Allow sending a token over plaintext http:// to a host that is not loopback')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (errors only) [env: RUST_LOG=error]')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (errors only) [env: RUST_LOG=error]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'dodil;options' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Server to talk to: https://host[:port] (TLS), http://host:port (plaintext), or `embedded` (an in-process dev server) [default: https://rpc.dodil.io:443]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use (`staging` and `production` are built in)')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Organization name, sent as x-organization-name [env: DODIL_ORG, SCRIPTUM_ORG_NAME]')
            [CompletionResult]::new('--org-id', '--org-id', [CompletionResultType]::ParameterName, 'Organization id, sent as x-organization-id')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'File holding the bearer token (or set DODIL_TOKEN to the token itself, or store one with `dodil auth login`; a token is never taken as a command-line value)')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'PEM file of a private CA to trust for TLS, in addition to the system''s roots')
            [CompletionResult]::new('--proxy', '--proxy', [CompletionResultType]::ParameterName, 'Proxy for every connection: http://HOST:PORT (CONNECT), socks5://HOST:PORT, socks5h://HOST:PORT, or `none`; overrides HTTPS_PROXY, ALL_PROXY and NO_PROXY (a password only in DODIL_PROXY) [env: DODIL_PROXY]')
            [CompletionResult]::new('--transport', '--transport', [CompletionResultType]::ParameterName, 'How calls travel: grpc (the default), or http: the HTTP gateway (/v1/scriptum/..., JSON bodies, HTTP/1.1 or HTTP/2), for proxies and load balancers that break gRPC')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output through a jq expression (implies -o json; with -o jsonl, each line as it is printed). Strings print raw, other values as compact JSON, one a line')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on a terminal (NO_COLOR turns it off for `auto`)')
            [CompletionResult]::new('--insecure-allow-plaintext', '--insecure-allow-plaintext', [CompletionResultType]::ParameterName, 'Allow sending a token over plaintext http:// to a host that is not loopback')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (errors only) [env: RUST_LOG=error]')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (errors only) [env: RUST_LOG=error]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr: each call, its status and time (tokens redacted) [env: RUST_LOG=debug]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'dodil;help' {
            [CompletionResult]::new('scriptum', 'scriptum', [CompletionResultType]::ParameterValue, 'Scripts and their threads on Dodil Scriptum')
            [CompletionResult]::new('auth', 'auth', [CompletionResultType]::ParameterValue, 'Sign in: keep a token in the platform''s keyring, check it, forget it')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (roff), or write one page per command into a directory')
            [CompletionResult]::new('options', 'options', [CompletionResultType]::ParameterValue, 'Print the options every command accepts (--endpoint, --profile, -o, ...), in full')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dodil;help;scriptum' {
            [CompletionResult]::new('thread', 'thread', [CompletionResultType]::ParameterValue, 'Create, follow and inspect threads (executions of a script)')
            [CompletionResult]::new('dev-server', 'dev-server', [CompletionResultType]::ParameterValue, 'Run a local Scriptum simulator for tests and CI (demos, scenario files, fault switches)')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check a --save directory against its summary.json: every listed file there, whole, unchanged')
            break
        }
        'dodil;help;scriptum;thread' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Start a thread and print its id at once, without waiting for it')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Start a thread and follow it to the end; the exit code tells how it ended')
            [CompletionResult]::new('watch', 'watch', [CompletionResultType]::ParameterValue, 'Follow an existing thread to the end (or report it, if it has ended)')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Show a thread''s status and progress')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List recent threads, newest first')
            [CompletionResult]::new('result', 'result', [CompletionResultType]::ParameterValue, 'Print a thread''s final output (streamed in full when large), or save it with its steps')
            [CompletionResult]::new('steps', 'steps', [CompletionResultType]::ParameterValue, 'Show a thread''s steps as a tree, one step in detail, or every step''s full input/output')
            [CompletionResult]::new('resume', 'resume', [CompletionResultType]::ParameterValue, 'Resume a paused thread (or retry a failed one), optionally with a new input for its step')
            [CompletionResult]::new('cancel', 'cancel', [CompletionResultType]::ParameterValue, 'Cancel a running thread')
            [CompletionResult]::new('artifacts', 'artifacts', [CompletionResultType]::ParameterValue, 'List the files a thread produced, or download them')
            break
        }
        'dodil;help;scriptum;thread;create' {
            break
        }
        'dodil;help;scriptum;thread;run' {
            break
        }
        'dodil;help;scriptum;thread;watch' {
            break
        }
        'dodil;help;scriptum;thread;get' {
            break
        }
        'dodil;help;scriptum;thread;list' {
            break
        }
        'dodil;help;scriptum;thread;result' {
            break
        }
        'dodil;help;scriptum;thread;steps' {
            break
        }
        'dodil;help;scriptum;thread;resume' {
            break
        }
        'dodil;help;scriptum;thread;cancel' {
            break
        }
        'dodil;help;scriptum;thread;artifacts' {
            break
        }
        'dodil;help;scriptum;dev-server' {
            break
        }
        'dodil;help;scriptum;verify' {
            break
        }
        'dodil;help;auth' {
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Read a token from stdin and keep it for this profile and endpoint in the platform''s keyring (a file of mode 0600 where none answers)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Say where the token comes from and whether the server accepts it (never the token)')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Forget the token stored for this profile and endpoint (keyring entry and file)')
            break
        }
        'dodil;help;auth;login' {
            break
        }
        'dodil;help;auth;status' {
            break
        }
        'dodil;help;auth;logout' {
            break
        }
        'dodil;help;completions' {
            break
        }
        'dodil;help;man' {
            break
        }
        'dodil;help;options' {
            break
        }
        'dodil;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
