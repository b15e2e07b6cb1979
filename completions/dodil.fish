# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_dodil_global_optspecs
    string join \n endpoint= profile= org= org-id= token-file= ca-cert= insecure-allow-plaintext o/output= q/quiet v/verbose color= h/help V/version
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
complete -c dodil -n "__fish_dodil_needs_command" -l org -d 'Organisation name, sent as x-organization-name [env: DODIL_ORG, SCRIPTUM_ORG_NAME]' -r
complete -c dodil -n "__fish_dodil_needs_command" -l org-id -d 'Organisation id, sent as x-organization-id' -r
complete -c dodil -n "__fish_dodil_needs_command" -l token-file -d 'File holding the bearer token (or set DODIL_TOKEN to the token itself; a token is never taken as a command-line value)' -r -F
complete -c dodil -n "__fish_dodil_needs_command" -l ca-cert -d 'PEM file of a private CA to trust for TLS, in addition to the system\'s roots' -r -F
complete -c dodil -n "__fish_dodil_needs_command" -s o -l output -d 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs' -r -f -a "table\t''
json\t''
yaml\t''
jsonl\t''"
complete -c dodil -n "__fish_dodil_needs_command" -l color -d 'When to use colour on a terminal (NO_COLOR turns it off for `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c dodil -n "__fish_dodil_needs_command" -l insecure-allow-plaintext -d 'Allow sending a token over plaintext http:// to a host that is not loopback'
complete -c dodil -n "__fish_dodil_needs_command" -s q -l quiet -d 'Print less on stderr (errors only)'
complete -c dodil -n "__fish_dodil_needs_command" -s v -l verbose -d 'Print more on stderr: each call, its status and time (tokens redacted)'
complete -c dodil -n "__fish_dodil_needs_command" -s h -l help -d 'Print help'
complete -c dodil -n "__fish_dodil_needs_command" -s V -l version -d 'Print version'
complete -c dodil -n "__fish_dodil_needs_command" -f -a "scriptum" -d 'Scripts and their threads on Dodil Scriptum'
complete -c dodil -n "__fish_dodil_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c dodil -n "__fish_dodil_needs_command" -f -a "man" -d 'Print the man page (roff), or write one page per command into a directory'
complete -c dodil -n "__fish_dodil_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and not __fish_seen_subcommand_from thread help" -l endpoint -d 'Server to talk to: https://host[:port] (TLS), http://host:port (plaintext), or `embedded` (an in-process dev server) [default: https://rpc.dodil.io:443]' -r
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and not __fish_seen_subcommand_from thread help" -l profile -d 'Profile of the config file to use (`staging` and `production` are built in)' -r
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and not __fish_seen_subcommand_from thread help" -l org -d 'Organisation name, sent as x-organization-name [env: DODIL_ORG, SCRIPTUM_ORG_NAME]' -r
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and not __fish_seen_subcommand_from thread help" -l org-id -d 'Organisation id, sent as x-organization-id' -r
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and not __fish_seen_subcommand_from thread help" -l token-file -d 'File holding the bearer token (or set DODIL_TOKEN to the token itself; a token is never taken as a command-line value)' -r -F
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and not __fish_seen_subcommand_from thread help" -l ca-cert -d 'PEM file of a private CA to trust for TLS, in addition to the system\'s roots' -r -F
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and not __fish_seen_subcommand_from thread help" -s o -l output -d 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs' -r -f -a "table\t''
json\t''
yaml\t''
jsonl\t''"
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and not __fish_seen_subcommand_from thread help" -l color -d 'When to use colour on a terminal (NO_COLOR turns it off for `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and not __fish_seen_subcommand_from thread help" -l insecure-allow-plaintext -d 'Allow sending a token over plaintext http:// to a host that is not loopback'
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and not __fish_seen_subcommand_from thread help" -s q -l quiet -d 'Print less on stderr (errors only)'
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and not __fish_seen_subcommand_from thread help" -s v -l verbose -d 'Print more on stderr: each call, its status and time (tokens redacted)'
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and not __fish_seen_subcommand_from thread help" -s h -l help -d 'Print help'
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and not __fish_seen_subcommand_from thread help" -f -a "thread" -d 'Create, follow and inspect threads (executions of a script)'
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and not __fish_seen_subcommand_from thread help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from thread" -l endpoint -d 'Server to talk to: https://host[:port] (TLS), http://host:port (plaintext), or `embedded` (an in-process dev server) [default: https://rpc.dodil.io:443]' -r
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from thread" -l profile -d 'Profile of the config file to use (`staging` and `production` are built in)' -r
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from thread" -l org -d 'Organisation name, sent as x-organization-name [env: DODIL_ORG, SCRIPTUM_ORG_NAME]' -r
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from thread" -l org-id -d 'Organisation id, sent as x-organization-id' -r
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from thread" -l token-file -d 'File holding the bearer token (or set DODIL_TOKEN to the token itself; a token is never taken as a command-line value)' -r -F
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from thread" -l ca-cert -d 'PEM file of a private CA to trust for TLS, in addition to the system\'s roots' -r -F
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from thread" -s o -l output -d 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs' -r -f -a "table\t''
json\t''
yaml\t''
jsonl\t''"
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from thread" -l color -d 'When to use colour on a terminal (NO_COLOR turns it off for `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from thread" -l insecure-allow-plaintext -d 'Allow sending a token over plaintext http:// to a host that is not loopback'
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from thread" -s q -l quiet -d 'Print less on stderr (errors only)'
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from thread" -s v -l verbose -d 'Print more on stderr: each call, its status and time (tokens redacted)'
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from thread" -s h -l help -d 'Print help'
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from thread" -f -a "create" -d 'Start a thread and print its id at once, without waiting for it'
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from thread" -f -a "get" -d 'Show a thread\'s status and progress'
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from thread" -f -a "list" -d 'List recent threads, newest first'
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from thread" -f -a "result" -d 'Print a thread\'s final output (streamed in full when large), or save it with its steps'
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from thread" -f -a "steps" -d 'Show a thread\'s steps as a tree, one step in detail, or every step\'s full input/output'
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from thread" -f -a "resume" -d 'Resume a paused thread (or retry a failed one), optionally with a new input for its step'
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from thread" -f -a "cancel" -d 'Cancel a running thread'
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from thread" -f -a "artifacts" -d 'List the files a thread produced'
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from thread" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from help" -f -a "thread" -d 'Create, follow and inspect threads (executions of a script)'
complete -c dodil -n "__fish_dodil_using_subcommand scriptum; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dodil -n "__fish_dodil_using_subcommand completions" -l endpoint -d 'Server to talk to: https://host[:port] (TLS), http://host:port (plaintext), or `embedded` (an in-process dev server) [default: https://rpc.dodil.io:443]' -r
complete -c dodil -n "__fish_dodil_using_subcommand completions" -l profile -d 'Profile of the config file to use (`staging` and `production` are built in)' -r
complete -c dodil -n "__fish_dodil_using_subcommand completions" -l org -d 'Organisation name, sent as x-organization-name [env: DODIL_ORG, SCRIPTUM_ORG_NAME]' -r
complete -c dodil -n "__fish_dodil_using_subcommand completions" -l org-id -d 'Organisation id, sent as x-organization-id' -r
complete -c dodil -n "__fish_dodil_using_subcommand completions" -l token-file -d 'File holding the bearer token (or set DODIL_TOKEN to the token itself; a token is never taken as a command-line value)' -r -F
complete -c dodil -n "__fish_dodil_using_subcommand completions" -l ca-cert -d 'PEM file of a private CA to trust for TLS, in addition to the system\'s roots' -r -F
complete -c dodil -n "__fish_dodil_using_subcommand completions" -s o -l output -d 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs' -r -f -a "table\t''
json\t''
yaml\t''
jsonl\t''"
complete -c dodil -n "__fish_dodil_using_subcommand completions" -l color -d 'When to use colour on a terminal (NO_COLOR turns it off for `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c dodil -n "__fish_dodil_using_subcommand completions" -l insecure-allow-plaintext -d 'Allow sending a token over plaintext http:// to a host that is not loopback'
complete -c dodil -n "__fish_dodil_using_subcommand completions" -s q -l quiet -d 'Print less on stderr (errors only)'
complete -c dodil -n "__fish_dodil_using_subcommand completions" -s v -l verbose -d 'Print more on stderr: each call, its status and time (tokens redacted)'
complete -c dodil -n "__fish_dodil_using_subcommand completions" -s h -l help -d 'Print help'
complete -c dodil -n "__fish_dodil_using_subcommand man" -l dir -d 'Write dodil.1 and one page per command (dodil-scriptum-thread-get.1, ...) into DIR' -r -F
complete -c dodil -n "__fish_dodil_using_subcommand man" -l endpoint -d 'Server to talk to: https://host[:port] (TLS), http://host:port (plaintext), or `embedded` (an in-process dev server) [default: https://rpc.dodil.io:443]' -r
complete -c dodil -n "__fish_dodil_using_subcommand man" -l profile -d 'Profile of the config file to use (`staging` and `production` are built in)' -r
complete -c dodil -n "__fish_dodil_using_subcommand man" -l org -d 'Organisation name, sent as x-organization-name [env: DODIL_ORG, SCRIPTUM_ORG_NAME]' -r
complete -c dodil -n "__fish_dodil_using_subcommand man" -l org-id -d 'Organisation id, sent as x-organization-id' -r
complete -c dodil -n "__fish_dodil_using_subcommand man" -l token-file -d 'File holding the bearer token (or set DODIL_TOKEN to the token itself; a token is never taken as a command-line value)' -r -F
complete -c dodil -n "__fish_dodil_using_subcommand man" -l ca-cert -d 'PEM file of a private CA to trust for TLS, in addition to the system\'s roots' -r -F
complete -c dodil -n "__fish_dodil_using_subcommand man" -s o -l output -d 'Output format: table for people; json, yaml, or jsonl (one object a line) for programs' -r -f -a "table\t''
json\t''
yaml\t''
jsonl\t''"
complete -c dodil -n "__fish_dodil_using_subcommand man" -l color -d 'When to use colour on a terminal (NO_COLOR turns it off for `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c dodil -n "__fish_dodil_using_subcommand man" -l insecure-allow-plaintext -d 'Allow sending a token over plaintext http:// to a host that is not loopback'
complete -c dodil -n "__fish_dodil_using_subcommand man" -s q -l quiet -d 'Print less on stderr (errors only)'
complete -c dodil -n "__fish_dodil_using_subcommand man" -s v -l verbose -d 'Print more on stderr: each call, its status and time (tokens redacted)'
complete -c dodil -n "__fish_dodil_using_subcommand man" -s h -l help -d 'Print help'
complete -c dodil -n "__fish_dodil_using_subcommand help; and not __fish_seen_subcommand_from scriptum completions man help" -f -a "scriptum" -d 'Scripts and their threads on Dodil Scriptum'
complete -c dodil -n "__fish_dodil_using_subcommand help; and not __fish_seen_subcommand_from scriptum completions man help" -f -a "completions" -d 'Print a shell completion script'
complete -c dodil -n "__fish_dodil_using_subcommand help; and not __fish_seen_subcommand_from scriptum completions man help" -f -a "man" -d 'Print the man page (roff), or write one page per command into a directory'
complete -c dodil -n "__fish_dodil_using_subcommand help; and not __fish_seen_subcommand_from scriptum completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dodil -n "__fish_dodil_using_subcommand help; and __fish_seen_subcommand_from scriptum" -f -a "thread" -d 'Create, follow and inspect threads (executions of a script)'
