# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_libsql_shell_global_optspecs
    string join \n auth-token= namespace= encryption-key= timeout= init-command= transaction-mode= readonly local remote v/trace config= bail cmd= init= no-init echo batch interactive m/format= header no-header null= separator= newline= insert-table= csv json line list box markdown table quote html tabs ascii column color= h/help V/version
end

function __fish_libsql_shell_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_libsql_shell_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_libsql_shell_using_subcommand
    set -l cmd (__fish_libsql_shell_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c libsql-shell -n "__fish_libsql_shell_needs_command" -l auth-token -d 'Auth token for remote databases (else LIBSQL_AUTH_TOKEN, else TURSO_AUTH_TOKEN)' -r
complete -c libsql-shell -n "__fish_libsql_shell_needs_command" -l namespace -d 'The database on a multi-tenant sqld, sent as `x-namespace` on every request (else LIBSQL_NAMESPACE, else a named connection\'s `namespace`)' -r
complete -c libsql-shell -n "__fish_libsql_shell_needs_command" -l encryption-key -d 'Encryption key of an encrypted Turso database, sent as `x-turso-encryption-key` on every request (else LIBSQL_ENCRYPTION_KEY, else TURSO_DB_REMOTE_ENCRYPTION_KEY, else a named connection\'s `encryption_key_env`)' -r
complete -c libsql-shell -n "__fish_libsql_shell_needs_command" -l timeout -d 'Remote request timeout in seconds' -r
complete -c libsql-shell -n "__fish_libsql_shell_needs_command" -l init-command -d 'Local: SQL to run right after opening the database' -r
complete -c libsql-shell -n "__fish_libsql_shell_needs_command" -l transaction-mode -d 'Local: how a plain BEGIN is issued' -r -f -a "deferred\t''
immediate\t''
exclusive\t''"
complete -c libsql-shell -n "__fish_libsql_shell_needs_command" -l config -d 'Config file of named connections (else LIBSQL_SHELL_CONFIG, else <config dir>/libsql-shell/config.toml)' -r -F
complete -c libsql-shell -n "__fish_libsql_shell_needs_command" -l cmd -d 'Run COMMAND (SQL or a dot-command) before reading input; repeatable (sqlite3\'s -cmd)' -r
complete -c libsql-shell -n "__fish_libsql_shell_needs_command" -l init -d 'Read FILE at startup instead of ~/.libsql-shellrc (sqlite3\'s -init)' -r -F
complete -c libsql-shell -n "__fish_libsql_shell_needs_command" -s m -l format -d 'Output format [default: table on a terminal, list (sqlite3\'s) when output is piped]' -r -f -a "table\t''
box\t''
csv\t''
tsv\t''
json\t''
jsonl\t''
markdown\t''
line\t''
list\t''
insert\t''
quote\t'sqlite3\'s `quote`: values as SQL literals, separated by `,`'
html\t'sqlite3\'s `html`: `<TR><TD>` rows'
tcl\t'sqlite3\'s `tcl`: values as C/Tcl strings, separated by a space'
ascii\t'sqlite3\'s `ascii`: US (0x1F) between fields, RS (0x1E) after each row'
tabs\t'sqlite3\'s `tabs`: `list` with a tab between fields, never quoted'
column\t'sqlite3\'s `column`: aligned columns under a line of dashes'
qbox\t'sqlite3 3.47\'s `qbox`: `box` with values quoted as SQL literals and `--wrap 60`'"
complete -c libsql-shell -n "__fish_libsql_shell_needs_command" -l null -d 'Text shown for NULL in text formats' -r
complete -c libsql-shell -n "__fish_libsql_shell_needs_command" -l separator -d 'Column separator for the list, csv, tabs, ascii, quote and tcl formats' -r
complete -c libsql-shell -n "__fish_libsql_shell_needs_command" -l newline -d 'Row separator for the list, tabs, ascii, quote, tcl and csv formats (sqlite3\'s -newline)' -r
complete -c libsql-shell -n "__fish_libsql_shell_needs_command" -l insert-table -d 'Table name used by the insert format' -r
complete -c libsql-shell -n "__fish_libsql_shell_needs_command" -l color -d 'When to colour error messages (auto: on a terminal, unless NO_COLOR is set)' -r -f -a "auto\t'Colour when stderr is a terminal and NO_COLOR is not set'
always\t'Colour even when stderr is not a terminal (NO_COLOR is ignored)'
never\t'Never colour'"
complete -c libsql-shell -n "__fish_libsql_shell_needs_command" -l readonly -d 'Open a local database read-only (sqlite3\'s -readonly). A remote database is read-only with a read-only token'
complete -c libsql-shell -n "__fish_libsql_shell_needs_command" -l local -d 'Treat DB as a local file name even if it looks like a host name'
complete -c libsql-shell -n "__fish_libsql_shell_needs_command" -l remote -d 'Treat a bare DB name as a remote host (HTTPS)'
complete -c libsql-shell -n "__fish_libsql_shell_needs_command" -s v -l trace -d 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time'
complete -c libsql-shell -n "__fish_libsql_shell_needs_command" -l bail -d 'Stop at the first error in a script or argument list (sqlite3\'s -bail)'
complete -c libsql-shell -n "__fish_libsql_shell_needs_command" -l no-init -d 'Do not read ~/.libsql-shellrc at startup'
complete -c libsql-shell -n "__fish_libsql_shell_needs_command" -l echo -d 'Print each statement before running it (sqlite3\'s -echo)'
complete -c libsql-shell -n "__fish_libsql_shell_needs_command" -l batch -d 'Never run the interactive shell, even on a terminal (sqlite3\'s -batch)'
complete -c libsql-shell -n "__fish_libsql_shell_needs_command" -l interactive -d 'Run the interactive shell even when standard input is not a terminal (sqlite3\'s -interactive)'
complete -c libsql-shell -n "__fish_libsql_shell_needs_command" -l header -d 'Print column names (default: on for table, box, markdown, column, csv, tsv; off for list)'
complete -c libsql-shell -n "__fish_libsql_shell_needs_command" -l no-header -d 'Do not print column names'
complete -c libsql-shell -n "__fish_libsql_shell_needs_command" -l csv -d 'Same as -m csv, without a header line unless --header'
complete -c libsql-shell -n "__fish_libsql_shell_needs_command" -l json -d 'Same as -m json'
complete -c libsql-shell -n "__fish_libsql_shell_needs_command" -l line -d 'Same as -m line'
complete -c libsql-shell -n "__fish_libsql_shell_needs_command" -l list -d 'Same as -m list'
complete -c libsql-shell -n "__fish_libsql_shell_needs_command" -l box -d 'Same as -m box'
complete -c libsql-shell -n "__fish_libsql_shell_needs_command" -l markdown -d 'Same as -m markdown'
complete -c libsql-shell -n "__fish_libsql_shell_needs_command" -l table -d 'Same as -m table'
complete -c libsql-shell -n "__fish_libsql_shell_needs_command" -l quote -d 'Same as -m quote'
complete -c libsql-shell -n "__fish_libsql_shell_needs_command" -l html -d 'Same as -m html'
complete -c libsql-shell -n "__fish_libsql_shell_needs_command" -l tabs -d 'Same as -m tabs'
complete -c libsql-shell -n "__fish_libsql_shell_needs_command" -l ascii -d 'Same as -m ascii'
complete -c libsql-shell -n "__fish_libsql_shell_needs_command" -l column -d 'Same as -m column, without a header line unless --header'
complete -c libsql-shell -n "__fish_libsql_shell_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c libsql-shell -n "__fish_libsql_shell_needs_command" -s V -l version -d 'Print version'
complete -c libsql-shell -n "__fish_libsql_shell_needs_command" -a "exec" -d 'Run SQL from arguments, files (-f) or stdin, and print the results'
complete -c libsql-shell -n "__fish_libsql_shell_needs_command" -a "batch" -d 'Run SQL files (or stdin) as ONE atomic transaction, in as few round trips as possible'
complete -c libsql-shell -n "__fish_libsql_shell_needs_command" -a "migrate" -d 'Apply ordered SQL migrations: each atomic with its tracking row, in one request'
complete -c libsql-shell -n "__fish_libsql_shell_needs_command" -a "dump" -d 'Write the database as SQL (sqlite3 .dump layout), read from one consistent snapshot'
complete -c libsql-shell -n "__fish_libsql_shell_needs_command" -a "import" -d 'Load a CSV file into a table (header row = column names), in one transaction'
complete -c libsql-shell -n "__fish_libsql_shell_needs_command" -a "config" -d 'Named connections (@NAME): list them with tokens redacted, or print the file\'s path'
complete -c libsql-shell -n "__fish_libsql_shell_needs_command" -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand exec" -s f -l file -d 'Read SQL from FILE (repeatable; `-` is stdin)' -r -F
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand exec" -l param -d 'Bind a named parameter, e.g. --param id=7 --param name="\'O\'\'Brien\'" (see VALUE syntax)' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand exec" -l arg -d 'Bind the next positional parameter (`?`), e.g. --arg 7 --arg NULL --arg "\'007\'". VALUE: NULL, an integer, a real (1.5, 1e3), \'quoted text\', X\'hex\' blob; anything else is text' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand exec" -s m -l format -d 'Output format [default: table on a terminal, list (sqlite3\'s) when output is piped]' -r -f -a "table\t''
box\t''
csv\t''
tsv\t''
json\t''
jsonl\t''
markdown\t''
line\t''
list\t''
insert\t''
quote\t'sqlite3\'s `quote`: values as SQL literals, separated by `,`'
html\t'sqlite3\'s `html`: `<TR><TD>` rows'
tcl\t'sqlite3\'s `tcl`: values as C/Tcl strings, separated by a space'
ascii\t'sqlite3\'s `ascii`: US (0x1F) between fields, RS (0x1E) after each row'
tabs\t'sqlite3\'s `tabs`: `list` with a tab between fields, never quoted'
column\t'sqlite3\'s `column`: aligned columns under a line of dashes'
qbox\t'sqlite3 3.47\'s `qbox`: `box` with values quoted as SQL literals and `--wrap 60`'"
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand exec" -l null -d 'Text shown for NULL in text formats' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand exec" -l separator -d 'Column separator for the list, csv, tabs, ascii, quote and tcl formats' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand exec" -l newline -d 'Row separator for the list, tabs, ascii, quote, tcl and csv formats (sqlite3\'s -newline)' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand exec" -l insert-table -d 'Table name used by the insert format' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand exec" -l auth-token -d 'Auth token for remote databases (else LIBSQL_AUTH_TOKEN, else TURSO_AUTH_TOKEN)' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand exec" -l namespace -d 'The database on a multi-tenant sqld, sent as `x-namespace` on every request (else LIBSQL_NAMESPACE, else a named connection\'s `namespace`)' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand exec" -l encryption-key -d 'Encryption key of an encrypted Turso database, sent as `x-turso-encryption-key` on every request (else LIBSQL_ENCRYPTION_KEY, else TURSO_DB_REMOTE_ENCRYPTION_KEY, else a named connection\'s `encryption_key_env`)' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand exec" -l timeout -d 'Remote request timeout in seconds' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand exec" -l init-command -d 'Local: SQL to run right after opening the database' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand exec" -l transaction-mode -d 'Local: how a plain BEGIN is issued' -r -f -a "deferred\t''
immediate\t''
exclusive\t''"
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand exec" -l config -d 'Config file of named connections (else LIBSQL_SHELL_CONFIG, else <config dir>/libsql-shell/config.toml)' -r -F
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand exec" -l color -d 'When to colour error messages (auto: on a terminal, unless NO_COLOR is set)' -r -f -a "auto\t'Colour when stderr is a terminal and NO_COLOR is not set'
always\t'Colour even when stderr is not a terminal (NO_COLOR is ignored)'
never\t'Never colour'"
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand exec" -l keep-going -d 'Continue after a failed statement (the exit status is still 1)'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand exec" -l header -d 'Print column names (default: on for table, box, markdown, column, csv, tsv; off for list)'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand exec" -l no-header -d 'Do not print column names'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand exec" -l csv -d 'Same as -m csv, without a header line unless --header'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand exec" -l json -d 'Same as -m json'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand exec" -l line -d 'Same as -m line'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand exec" -l list -d 'Same as -m list'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand exec" -l box -d 'Same as -m box'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand exec" -l markdown -d 'Same as -m markdown'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand exec" -l table -d 'Same as -m table'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand exec" -l quote -d 'Same as -m quote'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand exec" -l html -d 'Same as -m html'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand exec" -l tabs -d 'Same as -m tabs'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand exec" -l ascii -d 'Same as -m ascii'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand exec" -l column -d 'Same as -m column, without a header line unless --header'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand exec" -l readonly -d 'Open a local database read-only (sqlite3\'s -readonly). A remote database is read-only with a read-only token'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand exec" -l local -d 'Treat DB as a local file name even if it looks like a host name'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand exec" -l remote -d 'Treat a bare DB name as a remote host (HTTPS)'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand exec" -s v -l trace -d 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand exec" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand batch" -s m -l format -d 'Output format [default: table on a terminal, list (sqlite3\'s) when output is piped]' -r -f -a "table\t''
box\t''
csv\t''
tsv\t''
json\t''
jsonl\t''
markdown\t''
line\t''
list\t''
insert\t''
quote\t'sqlite3\'s `quote`: values as SQL literals, separated by `,`'
html\t'sqlite3\'s `html`: `<TR><TD>` rows'
tcl\t'sqlite3\'s `tcl`: values as C/Tcl strings, separated by a space'
ascii\t'sqlite3\'s `ascii`: US (0x1F) between fields, RS (0x1E) after each row'
tabs\t'sqlite3\'s `tabs`: `list` with a tab between fields, never quoted'
column\t'sqlite3\'s `column`: aligned columns under a line of dashes'
qbox\t'sqlite3 3.47\'s `qbox`: `box` with values quoted as SQL literals and `--wrap 60`'"
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand batch" -l null -d 'Text shown for NULL in text formats' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand batch" -l separator -d 'Column separator for the list, csv, tabs, ascii, quote and tcl formats' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand batch" -l newline -d 'Row separator for the list, tabs, ascii, quote, tcl and csv formats (sqlite3\'s -newline)' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand batch" -l insert-table -d 'Table name used by the insert format' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand batch" -l auth-token -d 'Auth token for remote databases (else LIBSQL_AUTH_TOKEN, else TURSO_AUTH_TOKEN)' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand batch" -l namespace -d 'The database on a multi-tenant sqld, sent as `x-namespace` on every request (else LIBSQL_NAMESPACE, else a named connection\'s `namespace`)' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand batch" -l encryption-key -d 'Encryption key of an encrypted Turso database, sent as `x-turso-encryption-key` on every request (else LIBSQL_ENCRYPTION_KEY, else TURSO_DB_REMOTE_ENCRYPTION_KEY, else a named connection\'s `encryption_key_env`)' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand batch" -l timeout -d 'Remote request timeout in seconds' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand batch" -l init-command -d 'Local: SQL to run right after opening the database' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand batch" -l transaction-mode -d 'Local: how a plain BEGIN is issued' -r -f -a "deferred\t''
immediate\t''
exclusive\t''"
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand batch" -l config -d 'Config file of named connections (else LIBSQL_SHELL_CONFIG, else <config dir>/libsql-shell/config.toml)' -r -F
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand batch" -l color -d 'When to colour error messages (auto: on a terminal, unless NO_COLOR is set)' -r -f -a "auto\t'Colour when stderr is a terminal and NO_COLOR is not set'
always\t'Colour even when stderr is not a terminal (NO_COLOR is ignored)'
never\t'Never colour'"
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand batch" -l no-transaction -d 'Run in autocommit instead of one transaction (statements are still grouped)'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand batch" -l header -d 'Print column names (default: on for table, box, markdown, column, csv, tsv; off for list)'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand batch" -l no-header -d 'Do not print column names'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand batch" -l csv -d 'Same as -m csv, without a header line unless --header'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand batch" -l json -d 'Same as -m json'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand batch" -l line -d 'Same as -m line'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand batch" -l list -d 'Same as -m list'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand batch" -l box -d 'Same as -m box'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand batch" -l markdown -d 'Same as -m markdown'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand batch" -l table -d 'Same as -m table'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand batch" -l quote -d 'Same as -m quote'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand batch" -l html -d 'Same as -m html'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand batch" -l tabs -d 'Same as -m tabs'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand batch" -l ascii -d 'Same as -m ascii'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand batch" -l column -d 'Same as -m column, without a header line unless --header'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand batch" -l readonly -d 'Open a local database read-only (sqlite3\'s -readonly). A remote database is read-only with a read-only token'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand batch" -l local -d 'Treat DB as a local file name even if it looks like a host name'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand batch" -l remote -d 'Treat a bare DB name as a remote host (HTTPS)'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand batch" -s v -l trace -d 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand batch" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and not __fish_seen_subcommand_from up status check new down plan baseline restamp help" -l dir -d 'Directory holding the migrations (see the layouts below)' -r -F
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and not __fish_seen_subcommand_from up status check new down plan baseline restamp help" -l format -d 'Whose migrations DIR holds, instead of telling it from the directory (and from the tracking table already in the database): libsql, prisma, drizzle, golang-migrate, sqlx, dbmate, goose' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and not __fish_seen_subcommand_from up status check new down plan baseline restamp help" -l to -d 'Apply pending migrations up to and including this version only' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and not __fish_seen_subcommand_from up status check new down plan baseline restamp help" -l schema-file -d 'After a successful run, write the database\'s schema (as `dump --schema-only`) here' -r -F
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and not __fish_seen_subcommand_from up status check new down plan baseline restamp help" -l auth-token -d 'Auth token for remote databases (else LIBSQL_AUTH_TOKEN, else TURSO_AUTH_TOKEN)' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and not __fish_seen_subcommand_from up status check new down plan baseline restamp help" -l namespace -d 'The database on a multi-tenant sqld, sent as `x-namespace` on every request (else LIBSQL_NAMESPACE, else a named connection\'s `namespace`)' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and not __fish_seen_subcommand_from up status check new down plan baseline restamp help" -l encryption-key -d 'Encryption key of an encrypted Turso database, sent as `x-turso-encryption-key` on every request (else LIBSQL_ENCRYPTION_KEY, else TURSO_DB_REMOTE_ENCRYPTION_KEY, else a named connection\'s `encryption_key_env`)' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and not __fish_seen_subcommand_from up status check new down plan baseline restamp help" -l timeout -d 'Remote request timeout in seconds' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and not __fish_seen_subcommand_from up status check new down plan baseline restamp help" -l init-command -d 'Local: SQL to run right after opening the database' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and not __fish_seen_subcommand_from up status check new down plan baseline restamp help" -l transaction-mode -d 'Local: how a plain BEGIN is issued' -r -f -a "deferred\t''
immediate\t''
exclusive\t''"
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and not __fish_seen_subcommand_from up status check new down plan baseline restamp help" -l config -d 'Config file of named connections (else LIBSQL_SHELL_CONFIG, else <config dir>/libsql-shell/config.toml)' -r -F
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and not __fish_seen_subcommand_from up status check new down plan baseline restamp help" -l color -d 'When to colour error messages (auto: on a terminal, unless NO_COLOR is set)' -r -f -a "auto\t'Colour when stderr is a terminal and NO_COLOR is not set'
always\t'Colour even when stderr is not a terminal (NO_COLOR is ignored)'
never\t'Never colour'"
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and not __fish_seen_subcommand_from up status check new down plan baseline restamp help" -l dry-run -d 'Print the SQL that would run instead of running it'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and not __fish_seen_subcommand_from up status check new down plan baseline restamp help" -l single-transaction -d 'Apply every pending migration in ONE transaction (all or nothing)'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and not __fish_seen_subcommand_from up status check new down plan baseline restamp help" -l allow-out-of-order -d 'Apply pending migrations older than the newest applied one instead of refusing'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and not __fish_seen_subcommand_from up status check new down plan baseline restamp help" -l readonly -d 'Open a local database read-only (sqlite3\'s -readonly). A remote database is read-only with a read-only token'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and not __fish_seen_subcommand_from up status check new down plan baseline restamp help" -l local -d 'Treat DB as a local file name even if it looks like a host name'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and not __fish_seen_subcommand_from up status check new down plan baseline restamp help" -l remote -d 'Treat a bare DB name as a remote host (HTTPS)'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and not __fish_seen_subcommand_from up status check new down plan baseline restamp help" -s v -l trace -d 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and not __fish_seen_subcommand_from up status check new down plan baseline restamp help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and not __fish_seen_subcommand_from up status check new down plan baseline restamp help" -a "up" -d 'Apply pending migrations in order, each in its own transaction, all in one request (the default)'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and not __fish_seen_subcommand_from up status check new down plan baseline restamp help" -a "status" -d 'Show every migration: applied, pending, changed (edited after applying), missing, or failed (recorded as failed half-way by its tool)'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and not __fish_seen_subcommand_from up status check new down plan baseline restamp help" -a "check" -d 'Exit 1 when any migration is pending, changed, missing or failed (a CI gate); 0 otherwise'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and not __fish_seen_subcommand_from up status check new down plan baseline restamp help" -a "new" -d 'Create the next migration file (never overwrites)'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and not __fish_seen_subcommand_from up status check new down plan baseline restamp help" -a "down" -d 'Revert the newest applied migrations with their down sections (or .down.sql files)'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and not __fish_seen_subcommand_from up status check new down plan baseline restamp help" -a "plan" -d 'Print the exact SQL `up` would send, per migration (same as `up --dry-run`)'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and not __fish_seen_subcommand_from up status check new down plan baseline restamp help" -a "baseline" -d 'Record migrations up to VERSION as applied without running them'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and not __fish_seen_subcommand_from up status check new down plan baseline restamp help" -a "restamp" -d 'Accept the new checksum of an applied migration whose file was edited'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and not __fish_seen_subcommand_from up status check new down plan baseline restamp help" -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from up" -l to -d 'Apply pending migrations up to and including this version only' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from up" -l schema-file -d 'After a successful run, write the database\'s schema (as `dump --schema-only`) here' -r -F
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from up" -l dir -d 'Directory holding the migrations (see the layouts below)' -r -F
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from up" -l format -d 'Whose migrations DIR holds, instead of telling it from the directory (and from the tracking table already in the database): libsql, prisma, drizzle, golang-migrate, sqlx, dbmate, goose' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from up" -l auth-token -d 'Auth token for remote databases (else LIBSQL_AUTH_TOKEN, else TURSO_AUTH_TOKEN)' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from up" -l namespace -d 'The database on a multi-tenant sqld, sent as `x-namespace` on every request (else LIBSQL_NAMESPACE, else a named connection\'s `namespace`)' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from up" -l encryption-key -d 'Encryption key of an encrypted Turso database, sent as `x-turso-encryption-key` on every request (else LIBSQL_ENCRYPTION_KEY, else TURSO_DB_REMOTE_ENCRYPTION_KEY, else a named connection\'s `encryption_key_env`)' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from up" -l timeout -d 'Remote request timeout in seconds' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from up" -l init-command -d 'Local: SQL to run right after opening the database' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from up" -l transaction-mode -d 'Local: how a plain BEGIN is issued' -r -f -a "deferred\t''
immediate\t''
exclusive\t''"
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from up" -l config -d 'Config file of named connections (else LIBSQL_SHELL_CONFIG, else <config dir>/libsql-shell/config.toml)' -r -F
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from up" -l color -d 'When to colour error messages (auto: on a terminal, unless NO_COLOR is set)' -r -f -a "auto\t'Colour when stderr is a terminal and NO_COLOR is not set'
always\t'Colour even when stderr is not a terminal (NO_COLOR is ignored)'
never\t'Never colour'"
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from up" -l dry-run -d 'Print the SQL that would run instead of running it'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from up" -l single-transaction -d 'Apply every pending migration in ONE transaction (all or nothing)'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from up" -l allow-out-of-order -d 'Apply pending migrations older than the newest applied one instead of refusing'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from up" -l readonly -d 'Open a local database read-only (sqlite3\'s -readonly). A remote database is read-only with a read-only token'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from up" -l local -d 'Treat DB as a local file name even if it looks like a host name'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from up" -l remote -d 'Treat a bare DB name as a remote host (HTTPS)'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from up" -s v -l trace -d 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from up" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from status" -l dir -d 'Directory holding the migrations (see the layouts below)' -r -F
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from status" -l format -d 'Whose migrations DIR holds, instead of telling it from the directory (and from the tracking table already in the database): libsql, prisma, drizzle, golang-migrate, sqlx, dbmate, goose' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from status" -l auth-token -d 'Auth token for remote databases (else LIBSQL_AUTH_TOKEN, else TURSO_AUTH_TOKEN)' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from status" -l namespace -d 'The database on a multi-tenant sqld, sent as `x-namespace` on every request (else LIBSQL_NAMESPACE, else a named connection\'s `namespace`)' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from status" -l encryption-key -d 'Encryption key of an encrypted Turso database, sent as `x-turso-encryption-key` on every request (else LIBSQL_ENCRYPTION_KEY, else TURSO_DB_REMOTE_ENCRYPTION_KEY, else a named connection\'s `encryption_key_env`)' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from status" -l timeout -d 'Remote request timeout in seconds' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from status" -l init-command -d 'Local: SQL to run right after opening the database' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from status" -l transaction-mode -d 'Local: how a plain BEGIN is issued' -r -f -a "deferred\t''
immediate\t''
exclusive\t''"
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from status" -l config -d 'Config file of named connections (else LIBSQL_SHELL_CONFIG, else <config dir>/libsql-shell/config.toml)' -r -F
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from status" -l color -d 'When to colour error messages (auto: on a terminal, unless NO_COLOR is set)' -r -f -a "auto\t'Colour when stderr is a terminal and NO_COLOR is not set'
always\t'Colour even when stderr is not a terminal (NO_COLOR is ignored)'
never\t'Never colour'"
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from status" -l json -d 'Print the status as JSON (one object per migration)'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from status" -l exit-code -d 'Exit 1 when anything is pending, changed or missing'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from status" -l readonly -d 'Open a local database read-only (sqlite3\'s -readonly). A remote database is read-only with a read-only token'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from status" -l local -d 'Treat DB as a local file name even if it looks like a host name'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from status" -l remote -d 'Treat a bare DB name as a remote host (HTTPS)'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from status" -s v -l trace -d 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from check" -l dir -d 'Directory holding the migrations (see the layouts below)' -r -F
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from check" -l format -d 'Whose migrations DIR holds, instead of telling it from the directory (and from the tracking table already in the database): libsql, prisma, drizzle, golang-migrate, sqlx, dbmate, goose' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from check" -l auth-token -d 'Auth token for remote databases (else LIBSQL_AUTH_TOKEN, else TURSO_AUTH_TOKEN)' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from check" -l namespace -d 'The database on a multi-tenant sqld, sent as `x-namespace` on every request (else LIBSQL_NAMESPACE, else a named connection\'s `namespace`)' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from check" -l encryption-key -d 'Encryption key of an encrypted Turso database, sent as `x-turso-encryption-key` on every request (else LIBSQL_ENCRYPTION_KEY, else TURSO_DB_REMOTE_ENCRYPTION_KEY, else a named connection\'s `encryption_key_env`)' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from check" -l timeout -d 'Remote request timeout in seconds' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from check" -l init-command -d 'Local: SQL to run right after opening the database' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from check" -l transaction-mode -d 'Local: how a plain BEGIN is issued' -r -f -a "deferred\t''
immediate\t''
exclusive\t''"
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from check" -l config -d 'Config file of named connections (else LIBSQL_SHELL_CONFIG, else <config dir>/libsql-shell/config.toml)' -r -F
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from check" -l color -d 'When to colour error messages (auto: on a terminal, unless NO_COLOR is set)' -r -f -a "auto\t'Colour when stderr is a terminal and NO_COLOR is not set'
always\t'Colour even when stderr is not a terminal (NO_COLOR is ignored)'
never\t'Never colour'"
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from check" -l readonly -d 'Open a local database read-only (sqlite3\'s -readonly). A remote database is read-only with a read-only token'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from check" -l local -d 'Treat DB as a local file name even if it looks like a host name'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from check" -l remote -d 'Treat a bare DB name as a remote host (HTTPS)'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from check" -s v -l trace -d 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from new" -l dir -d 'Directory holding the migrations (see the layouts below)' -r -F
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from new" -l format -d 'Whose migrations DIR holds, instead of telling it from the directory (and from the tracking table already in the database): libsql, prisma, drizzle, golang-migrate, sqlx, dbmate, goose' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from new" -l auth-token -d 'Auth token for remote databases (else LIBSQL_AUTH_TOKEN, else TURSO_AUTH_TOKEN)' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from new" -l namespace -d 'The database on a multi-tenant sqld, sent as `x-namespace` on every request (else LIBSQL_NAMESPACE, else a named connection\'s `namespace`)' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from new" -l encryption-key -d 'Encryption key of an encrypted Turso database, sent as `x-turso-encryption-key` on every request (else LIBSQL_ENCRYPTION_KEY, else TURSO_DB_REMOTE_ENCRYPTION_KEY, else a named connection\'s `encryption_key_env`)' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from new" -l timeout -d 'Remote request timeout in seconds' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from new" -l init-command -d 'Local: SQL to run right after opening the database' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from new" -l transaction-mode -d 'Local: how a plain BEGIN is issued' -r -f -a "deferred\t''
immediate\t''
exclusive\t''"
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from new" -l config -d 'Config file of named connections (else LIBSQL_SHELL_CONFIG, else <config dir>/libsql-shell/config.toml)' -r -F
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from new" -l color -d 'When to colour error messages (auto: on a terminal, unless NO_COLOR is set)' -r -f -a "auto\t'Colour when stderr is a terminal and NO_COLOR is not set'
always\t'Colour even when stderr is not a terminal (NO_COLOR is ignored)'
never\t'Never colour'"
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from new" -l timestamp -d 'Use a UTC timestamp (YYYYMMDDHHMMSS) as the version even if the files are numbered'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from new" -l readonly -d 'Open a local database read-only (sqlite3\'s -readonly). A remote database is read-only with a read-only token'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from new" -l local -d 'Treat DB as a local file name even if it looks like a host name'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from new" -l remote -d 'Treat a bare DB name as a remote host (HTTPS)'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from new" -s v -l trace -d 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from new" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from down" -l steps -d 'How many migrations to revert, newest first' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from down" -l dir -d 'Directory holding the migrations (see the layouts below)' -r -F
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from down" -l format -d 'Whose migrations DIR holds, instead of telling it from the directory (and from the tracking table already in the database): libsql, prisma, drizzle, golang-migrate, sqlx, dbmate, goose' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from down" -l auth-token -d 'Auth token for remote databases (else LIBSQL_AUTH_TOKEN, else TURSO_AUTH_TOKEN)' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from down" -l namespace -d 'The database on a multi-tenant sqld, sent as `x-namespace` on every request (else LIBSQL_NAMESPACE, else a named connection\'s `namespace`)' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from down" -l encryption-key -d 'Encryption key of an encrypted Turso database, sent as `x-turso-encryption-key` on every request (else LIBSQL_ENCRYPTION_KEY, else TURSO_DB_REMOTE_ENCRYPTION_KEY, else a named connection\'s `encryption_key_env`)' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from down" -l timeout -d 'Remote request timeout in seconds' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from down" -l init-command -d 'Local: SQL to run right after opening the database' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from down" -l transaction-mode -d 'Local: how a plain BEGIN is issued' -r -f -a "deferred\t''
immediate\t''
exclusive\t''"
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from down" -l config -d 'Config file of named connections (else LIBSQL_SHELL_CONFIG, else <config dir>/libsql-shell/config.toml)' -r -F
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from down" -l color -d 'When to colour error messages (auto: on a terminal, unless NO_COLOR is set)' -r -f -a "auto\t'Colour when stderr is a terminal and NO_COLOR is not set'
always\t'Colour even when stderr is not a terminal (NO_COLOR is ignored)'
never\t'Never colour'"
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from down" -l readonly -d 'Open a local database read-only (sqlite3\'s -readonly). A remote database is read-only with a read-only token'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from down" -l local -d 'Treat DB as a local file name even if it looks like a host name'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from down" -l remote -d 'Treat a bare DB name as a remote host (HTTPS)'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from down" -s v -l trace -d 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from down" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from plan" -l to -d 'Apply pending migrations up to and including this version only' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from plan" -l schema-file -d 'After a successful run, write the database\'s schema (as `dump --schema-only`) here' -r -F
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from plan" -l dir -d 'Directory holding the migrations (see the layouts below)' -r -F
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from plan" -l format -d 'Whose migrations DIR holds, instead of telling it from the directory (and from the tracking table already in the database): libsql, prisma, drizzle, golang-migrate, sqlx, dbmate, goose' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from plan" -l auth-token -d 'Auth token for remote databases (else LIBSQL_AUTH_TOKEN, else TURSO_AUTH_TOKEN)' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from plan" -l namespace -d 'The database on a multi-tenant sqld, sent as `x-namespace` on every request (else LIBSQL_NAMESPACE, else a named connection\'s `namespace`)' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from plan" -l encryption-key -d 'Encryption key of an encrypted Turso database, sent as `x-turso-encryption-key` on every request (else LIBSQL_ENCRYPTION_KEY, else TURSO_DB_REMOTE_ENCRYPTION_KEY, else a named connection\'s `encryption_key_env`)' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from plan" -l timeout -d 'Remote request timeout in seconds' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from plan" -l init-command -d 'Local: SQL to run right after opening the database' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from plan" -l transaction-mode -d 'Local: how a plain BEGIN is issued' -r -f -a "deferred\t''
immediate\t''
exclusive\t''"
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from plan" -l config -d 'Config file of named connections (else LIBSQL_SHELL_CONFIG, else <config dir>/libsql-shell/config.toml)' -r -F
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from plan" -l color -d 'When to colour error messages (auto: on a terminal, unless NO_COLOR is set)' -r -f -a "auto\t'Colour when stderr is a terminal and NO_COLOR is not set'
always\t'Colour even when stderr is not a terminal (NO_COLOR is ignored)'
never\t'Never colour'"
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from plan" -l dry-run -d 'Print the SQL that would run instead of running it'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from plan" -l single-transaction -d 'Apply every pending migration in ONE transaction (all or nothing)'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from plan" -l allow-out-of-order -d 'Apply pending migrations older than the newest applied one instead of refusing'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from plan" -l readonly -d 'Open a local database read-only (sqlite3\'s -readonly). A remote database is read-only with a read-only token'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from plan" -l local -d 'Treat DB as a local file name even if it looks like a host name'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from plan" -l remote -d 'Treat a bare DB name as a remote host (HTTPS)'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from plan" -s v -l trace -d 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from plan" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from baseline" -l dir -d 'Directory holding the migrations (see the layouts below)' -r -F
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from baseline" -l format -d 'Whose migrations DIR holds, instead of telling it from the directory (and from the tracking table already in the database): libsql, prisma, drizzle, golang-migrate, sqlx, dbmate, goose' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from baseline" -l auth-token -d 'Auth token for remote databases (else LIBSQL_AUTH_TOKEN, else TURSO_AUTH_TOKEN)' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from baseline" -l namespace -d 'The database on a multi-tenant sqld, sent as `x-namespace` on every request (else LIBSQL_NAMESPACE, else a named connection\'s `namespace`)' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from baseline" -l encryption-key -d 'Encryption key of an encrypted Turso database, sent as `x-turso-encryption-key` on every request (else LIBSQL_ENCRYPTION_KEY, else TURSO_DB_REMOTE_ENCRYPTION_KEY, else a named connection\'s `encryption_key_env`)' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from baseline" -l timeout -d 'Remote request timeout in seconds' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from baseline" -l init-command -d 'Local: SQL to run right after opening the database' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from baseline" -l transaction-mode -d 'Local: how a plain BEGIN is issued' -r -f -a "deferred\t''
immediate\t''
exclusive\t''"
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from baseline" -l config -d 'Config file of named connections (else LIBSQL_SHELL_CONFIG, else <config dir>/libsql-shell/config.toml)' -r -F
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from baseline" -l color -d 'When to colour error messages (auto: on a terminal, unless NO_COLOR is set)' -r -f -a "auto\t'Colour when stderr is a terminal and NO_COLOR is not set'
always\t'Colour even when stderr is not a terminal (NO_COLOR is ignored)'
never\t'Never colour'"
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from baseline" -l readonly -d 'Open a local database read-only (sqlite3\'s -readonly). A remote database is read-only with a read-only token'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from baseline" -l local -d 'Treat DB as a local file name even if it looks like a host name'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from baseline" -l remote -d 'Treat a bare DB name as a remote host (HTTPS)'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from baseline" -s v -l trace -d 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from baseline" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from restamp" -l dir -d 'Directory holding the migrations (see the layouts below)' -r -F
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from restamp" -l format -d 'Whose migrations DIR holds, instead of telling it from the directory (and from the tracking table already in the database): libsql, prisma, drizzle, golang-migrate, sqlx, dbmate, goose' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from restamp" -l auth-token -d 'Auth token for remote databases (else LIBSQL_AUTH_TOKEN, else TURSO_AUTH_TOKEN)' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from restamp" -l namespace -d 'The database on a multi-tenant sqld, sent as `x-namespace` on every request (else LIBSQL_NAMESPACE, else a named connection\'s `namespace`)' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from restamp" -l encryption-key -d 'Encryption key of an encrypted Turso database, sent as `x-turso-encryption-key` on every request (else LIBSQL_ENCRYPTION_KEY, else TURSO_DB_REMOTE_ENCRYPTION_KEY, else a named connection\'s `encryption_key_env`)' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from restamp" -l timeout -d 'Remote request timeout in seconds' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from restamp" -l init-command -d 'Local: SQL to run right after opening the database' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from restamp" -l transaction-mode -d 'Local: how a plain BEGIN is issued' -r -f -a "deferred\t''
immediate\t''
exclusive\t''"
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from restamp" -l config -d 'Config file of named connections (else LIBSQL_SHELL_CONFIG, else <config dir>/libsql-shell/config.toml)' -r -F
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from restamp" -l color -d 'When to colour error messages (auto: on a terminal, unless NO_COLOR is set)' -r -f -a "auto\t'Colour when stderr is a terminal and NO_COLOR is not set'
always\t'Colour even when stderr is not a terminal (NO_COLOR is ignored)'
never\t'Never colour'"
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from restamp" -l readonly -d 'Open a local database read-only (sqlite3\'s -readonly). A remote database is read-only with a read-only token'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from restamp" -l local -d 'Treat DB as a local file name even if it looks like a host name'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from restamp" -l remote -d 'Treat a bare DB name as a remote host (HTTPS)'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from restamp" -s v -l trace -d 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from restamp" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from help" -f -a "up" -d 'Apply pending migrations in order, each in its own transaction, all in one request (the default)'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from help" -f -a "status" -d 'Show every migration: applied, pending, changed (edited after applying), missing, or failed (recorded as failed half-way by its tool)'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from help" -f -a "check" -d 'Exit 1 when any migration is pending, changed, missing or failed (a CI gate); 0 otherwise'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from help" -f -a "new" -d 'Create the next migration file (never overwrites)'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from help" -f -a "down" -d 'Revert the newest applied migrations with their down sections (or .down.sql files)'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from help" -f -a "plan" -d 'Print the exact SQL `up` would send, per migration (same as `up --dry-run`)'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from help" -f -a "baseline" -d 'Record migrations up to VERSION as applied without running them'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from help" -f -a "restamp" -d 'Accept the new checksum of an applied migration whose file was edited'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand migrate; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand dump" -s o -l output -d 'Write to FILE (replaced only when the dump is complete) instead of stdout' -r -F
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand dump" -l page-rows -d 'Rows per request instead of the adaptive page size (testing aid)' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand dump" -l auth-token -d 'Auth token for remote databases (else LIBSQL_AUTH_TOKEN, else TURSO_AUTH_TOKEN)' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand dump" -l namespace -d 'The database on a multi-tenant sqld, sent as `x-namespace` on every request (else LIBSQL_NAMESPACE, else a named connection\'s `namespace`)' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand dump" -l encryption-key -d 'Encryption key of an encrypted Turso database, sent as `x-turso-encryption-key` on every request (else LIBSQL_ENCRYPTION_KEY, else TURSO_DB_REMOTE_ENCRYPTION_KEY, else a named connection\'s `encryption_key_env`)' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand dump" -l timeout -d 'Remote request timeout in seconds' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand dump" -l init-command -d 'Local: SQL to run right after opening the database' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand dump" -l transaction-mode -d 'Local: how a plain BEGIN is issued' -r -f -a "deferred\t''
immediate\t''
exclusive\t''"
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand dump" -l config -d 'Config file of named connections (else LIBSQL_SHELL_CONFIG, else <config dir>/libsql-shell/config.toml)' -r -F
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand dump" -l color -d 'When to colour error messages (auto: on a terminal, unless NO_COLOR is set)' -r -f -a "auto\t'Colour when stderr is a terminal and NO_COLOR is not set'
always\t'Colour even when stderr is not a terminal (NO_COLOR is ignored)'
never\t'Never colour'"
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand dump" -l schema-only -d 'Only the schema: CREATE statements, no rows'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand dump" -l data-only -d 'Only the rows: INSERT statements, no CREATE, no BEGIN/COMMIT'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand dump" -l readonly -d 'Open a local database read-only (sqlite3\'s -readonly). A remote database is read-only with a read-only token'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand dump" -l local -d 'Treat DB as a local file name even if it looks like a host name'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand dump" -l remote -d 'Treat a bare DB name as a remote host (HTTPS)'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand dump" -s v -l trace -d 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand dump" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand import" -l table -d 'Table to load into; created (columns named by the header row) if missing' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand import" -l skip -d 'Skip N rows before the header row' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand import" -l delimiter -d 'Field separator: one character, or `\\t` / `tab`' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand import" -l auth-token -d 'Auth token for remote databases (else LIBSQL_AUTH_TOKEN, else TURSO_AUTH_TOKEN)' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand import" -l namespace -d 'The database on a multi-tenant sqld, sent as `x-namespace` on every request (else LIBSQL_NAMESPACE, else a named connection\'s `namespace`)' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand import" -l encryption-key -d 'Encryption key of an encrypted Turso database, sent as `x-turso-encryption-key` on every request (else LIBSQL_ENCRYPTION_KEY, else TURSO_DB_REMOTE_ENCRYPTION_KEY, else a named connection\'s `encryption_key_env`)' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand import" -l timeout -d 'Remote request timeout in seconds' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand import" -l init-command -d 'Local: SQL to run right after opening the database' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand import" -l transaction-mode -d 'Local: how a plain BEGIN is issued' -r -f -a "deferred\t''
immediate\t''
exclusive\t''"
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand import" -l config -d 'Config file of named connections (else LIBSQL_SHELL_CONFIG, else <config dir>/libsql-shell/config.toml)' -r -F
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand import" -l color -d 'When to colour error messages (auto: on a terminal, unless NO_COLOR is set)' -r -f -a "auto\t'Colour when stderr is a terminal and NO_COLOR is not set'
always\t'Colour even when stderr is not a terminal (NO_COLOR is ignored)'
never\t'Never colour'"
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand import" -l no-transaction -d 'Commit as the rows go instead of in one transaction (a failure keeps earlier rows)'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand import" -l readonly -d 'Open a local database read-only (sqlite3\'s -readonly). A remote database is read-only with a read-only token'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand import" -l local -d 'Treat DB as a local file name even if it looks like a host name'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand import" -l remote -d 'Treat a bare DB name as a remote host (HTTPS)'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand import" -s v -l trace -d 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand import" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand config; and not __fish_seen_subcommand_from list path help" -l auth-token -d 'Auth token for remote databases (else LIBSQL_AUTH_TOKEN, else TURSO_AUTH_TOKEN)' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand config; and not __fish_seen_subcommand_from list path help" -l namespace -d 'The database on a multi-tenant sqld, sent as `x-namespace` on every request (else LIBSQL_NAMESPACE, else a named connection\'s `namespace`)' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand config; and not __fish_seen_subcommand_from list path help" -l encryption-key -d 'Encryption key of an encrypted Turso database, sent as `x-turso-encryption-key` on every request (else LIBSQL_ENCRYPTION_KEY, else TURSO_DB_REMOTE_ENCRYPTION_KEY, else a named connection\'s `encryption_key_env`)' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand config; and not __fish_seen_subcommand_from list path help" -l timeout -d 'Remote request timeout in seconds' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand config; and not __fish_seen_subcommand_from list path help" -l init-command -d 'Local: SQL to run right after opening the database' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand config; and not __fish_seen_subcommand_from list path help" -l transaction-mode -d 'Local: how a plain BEGIN is issued' -r -f -a "deferred\t''
immediate\t''
exclusive\t''"
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand config; and not __fish_seen_subcommand_from list path help" -l config -d 'Config file of named connections (else LIBSQL_SHELL_CONFIG, else <config dir>/libsql-shell/config.toml)' -r -F
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand config; and not __fish_seen_subcommand_from list path help" -l color -d 'When to colour error messages (auto: on a terminal, unless NO_COLOR is set)' -r -f -a "auto\t'Colour when stderr is a terminal and NO_COLOR is not set'
always\t'Colour even when stderr is not a terminal (NO_COLOR is ignored)'
never\t'Never colour'"
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand config; and not __fish_seen_subcommand_from list path help" -l readonly -d 'Open a local database read-only (sqlite3\'s -readonly). A remote database is read-only with a read-only token'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand config; and not __fish_seen_subcommand_from list path help" -l local -d 'Treat DB as a local file name even if it looks like a host name'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand config; and not __fish_seen_subcommand_from list path help" -l remote -d 'Treat a bare DB name as a remote host (HTTPS)'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand config; and not __fish_seen_subcommand_from list path help" -s v -l trace -d 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand config; and not __fish_seen_subcommand_from list path help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand config; and not __fish_seen_subcommand_from list path help" -f -a "list" -d 'List the named connections (@NAME); tokens are never shown'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand config; and not __fish_seen_subcommand_from list path help" -f -a "path" -d 'Print the path of the config file (which need not exist yet)'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand config; and not __fish_seen_subcommand_from list path help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand config; and __fish_seen_subcommand_from list" -l auth-token -d 'Auth token for remote databases (else LIBSQL_AUTH_TOKEN, else TURSO_AUTH_TOKEN)' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand config; and __fish_seen_subcommand_from list" -l namespace -d 'The database on a multi-tenant sqld, sent as `x-namespace` on every request (else LIBSQL_NAMESPACE, else a named connection\'s `namespace`)' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand config; and __fish_seen_subcommand_from list" -l encryption-key -d 'Encryption key of an encrypted Turso database, sent as `x-turso-encryption-key` on every request (else LIBSQL_ENCRYPTION_KEY, else TURSO_DB_REMOTE_ENCRYPTION_KEY, else a named connection\'s `encryption_key_env`)' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand config; and __fish_seen_subcommand_from list" -l timeout -d 'Remote request timeout in seconds' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand config; and __fish_seen_subcommand_from list" -l init-command -d 'Local: SQL to run right after opening the database' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand config; and __fish_seen_subcommand_from list" -l transaction-mode -d 'Local: how a plain BEGIN is issued' -r -f -a "deferred\t''
immediate\t''
exclusive\t''"
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand config; and __fish_seen_subcommand_from list" -l config -d 'Config file of named connections (else LIBSQL_SHELL_CONFIG, else <config dir>/libsql-shell/config.toml)' -r -F
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand config; and __fish_seen_subcommand_from list" -l color -d 'When to colour error messages (auto: on a terminal, unless NO_COLOR is set)' -r -f -a "auto\t'Colour when stderr is a terminal and NO_COLOR is not set'
always\t'Colour even when stderr is not a terminal (NO_COLOR is ignored)'
never\t'Never colour'"
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand config; and __fish_seen_subcommand_from list" -l readonly -d 'Open a local database read-only (sqlite3\'s -readonly). A remote database is read-only with a read-only token'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand config; and __fish_seen_subcommand_from list" -l local -d 'Treat DB as a local file name even if it looks like a host name'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand config; and __fish_seen_subcommand_from list" -l remote -d 'Treat a bare DB name as a remote host (HTTPS)'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand config; and __fish_seen_subcommand_from list" -s v -l trace -d 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand config; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand config; and __fish_seen_subcommand_from path" -l auth-token -d 'Auth token for remote databases (else LIBSQL_AUTH_TOKEN, else TURSO_AUTH_TOKEN)' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand config; and __fish_seen_subcommand_from path" -l namespace -d 'The database on a multi-tenant sqld, sent as `x-namespace` on every request (else LIBSQL_NAMESPACE, else a named connection\'s `namespace`)' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand config; and __fish_seen_subcommand_from path" -l encryption-key -d 'Encryption key of an encrypted Turso database, sent as `x-turso-encryption-key` on every request (else LIBSQL_ENCRYPTION_KEY, else TURSO_DB_REMOTE_ENCRYPTION_KEY, else a named connection\'s `encryption_key_env`)' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand config; and __fish_seen_subcommand_from path" -l timeout -d 'Remote request timeout in seconds' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand config; and __fish_seen_subcommand_from path" -l init-command -d 'Local: SQL to run right after opening the database' -r
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand config; and __fish_seen_subcommand_from path" -l transaction-mode -d 'Local: how a plain BEGIN is issued' -r -f -a "deferred\t''
immediate\t''
exclusive\t''"
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand config; and __fish_seen_subcommand_from path" -l config -d 'Config file of named connections (else LIBSQL_SHELL_CONFIG, else <config dir>/libsql-shell/config.toml)' -r -F
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand config; and __fish_seen_subcommand_from path" -l color -d 'When to colour error messages (auto: on a terminal, unless NO_COLOR is set)' -r -f -a "auto\t'Colour when stderr is a terminal and NO_COLOR is not set'
always\t'Colour even when stderr is not a terminal (NO_COLOR is ignored)'
never\t'Never colour'"
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand config; and __fish_seen_subcommand_from path" -l readonly -d 'Open a local database read-only (sqlite3\'s -readonly). A remote database is read-only with a read-only token'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand config; and __fish_seen_subcommand_from path" -l local -d 'Treat DB as a local file name even if it looks like a host name'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand config; and __fish_seen_subcommand_from path" -l remote -d 'Treat a bare DB name as a remote host (HTTPS)'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand config; and __fish_seen_subcommand_from path" -s v -l trace -d 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand config; and __fish_seen_subcommand_from path" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the named connections (@NAME); tokens are never shown'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "path" -d 'Print the path of the config file (which need not exist yet)'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand help; and not __fish_seen_subcommand_from exec batch migrate dump import config help" -f -a "exec" -d 'Run SQL from arguments, files (-f) or stdin, and print the results'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand help; and not __fish_seen_subcommand_from exec batch migrate dump import config help" -f -a "batch" -d 'Run SQL files (or stdin) as ONE atomic transaction, in as few round trips as possible'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand help; and not __fish_seen_subcommand_from exec batch migrate dump import config help" -f -a "migrate" -d 'Apply ordered SQL migrations: each atomic with its tracking row, in one request'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand help; and not __fish_seen_subcommand_from exec batch migrate dump import config help" -f -a "dump" -d 'Write the database as SQL (sqlite3 .dump layout), read from one consistent snapshot'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand help; and not __fish_seen_subcommand_from exec batch migrate dump import config help" -f -a "import" -d 'Load a CSV file into a table (header row = column names), in one transaction'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand help; and not __fish_seen_subcommand_from exec batch migrate dump import config help" -f -a "config" -d 'Named connections (@NAME): list them with tokens redacted, or print the file\'s path'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand help; and not __fish_seen_subcommand_from exec batch migrate dump import config help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand help; and __fish_seen_subcommand_from migrate" -f -a "up" -d 'Apply pending migrations in order, each in its own transaction, all in one request (the default)'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand help; and __fish_seen_subcommand_from migrate" -f -a "status" -d 'Show every migration: applied, pending, changed (edited after applying), missing, or failed (recorded as failed half-way by its tool)'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand help; and __fish_seen_subcommand_from migrate" -f -a "check" -d 'Exit 1 when any migration is pending, changed, missing or failed (a CI gate); 0 otherwise'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand help; and __fish_seen_subcommand_from migrate" -f -a "new" -d 'Create the next migration file (never overwrites)'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand help; and __fish_seen_subcommand_from migrate" -f -a "down" -d 'Revert the newest applied migrations with their down sections (or .down.sql files)'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand help; and __fish_seen_subcommand_from migrate" -f -a "plan" -d 'Print the exact SQL `up` would send, per migration (same as `up --dry-run`)'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand help; and __fish_seen_subcommand_from migrate" -f -a "baseline" -d 'Record migrations up to VERSION as applied without running them'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand help; and __fish_seen_subcommand_from migrate" -f -a "restamp" -d 'Accept the new checksum of an applied migration whose file was edited'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "list" -d 'List the named connections (@NAME); tokens are never shown'
complete -c libsql-shell -n "__fish_libsql_shell_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "path" -d 'Print the path of the config file (which need not exist yet)'
