
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'libsql-shell' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'libsql-shell'
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
        'libsql-shell' {
            [CompletionResult]::new('--auth-token', '--auth-token', [CompletionResultType]::ParameterName, 'Auth token for remote databases (else LIBSQL_AUTH_TOKEN, else TURSO_AUTH_TOKEN)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The database on a multi-tenant sqld, sent as `x-namespace` on every request (else LIBSQL_NAMESPACE, else a named connection''s `namespace`)')
            [CompletionResult]::new('--encryption-key', '--encryption-key', [CompletionResultType]::ParameterName, 'Encryption key of an encrypted Turso database, sent as `x-turso-encryption-key` on every request (else LIBSQL_ENCRYPTION_KEY, else TURSO_DB_REMOTE_ENCRYPTION_KEY, else a named connection''s `encryption_key_env`)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Remote request timeout in seconds')
            [CompletionResult]::new('--init-command', '--init-command', [CompletionResultType]::ParameterName, 'Local: SQL to run right after opening the database')
            [CompletionResult]::new('--transaction-mode', '--transaction-mode', [CompletionResultType]::ParameterName, 'Local: how a plain BEGIN is issued')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file of named connections (else LIBSQL_SHELL_CONFIG, else <config dir>/libsql-shell/config.toml)')
            [CompletionResult]::new('--cmd', '--cmd', [CompletionResultType]::ParameterName, 'Run COMMAND (SQL or a dot-command) before reading input; repeatable (sqlite3''s -cmd)')
            [CompletionResult]::new('--init', '--init', [CompletionResultType]::ParameterName, 'Read FILE at startup instead of ~/.libsql-shellrc (sqlite3''s -init)')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, list (sqlite3''s) when output is piped]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, list (sqlite3''s) when output is piped]')
            [CompletionResult]::new('--null', '--null', [CompletionResultType]::ParameterName, 'Text shown for NULL in text formats')
            [CompletionResult]::new('--separator', '--separator', [CompletionResultType]::ParameterName, 'Column separator for the list, csv, tabs, ascii, quote and tcl formats')
            [CompletionResult]::new('--newline', '--newline', [CompletionResultType]::ParameterName, 'Row separator for the list, tabs, ascii, quote, tcl and csv formats (sqlite3''s -newline)')
            [CompletionResult]::new('--insert-table', '--insert-table', [CompletionResultType]::ParameterName, 'Table name used by the insert format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour error messages (auto: on a terminal, unless NO_COLOR is set)')
            [CompletionResult]::new('--readonly', '--readonly', [CompletionResultType]::ParameterName, 'Open a local database read-only (sqlite3''s -readonly). A remote database is read-only with a read-only token')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Treat DB as a local file name even if it looks like a host name')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Treat a bare DB name as a remote host (HTTPS)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time')
            [CompletionResult]::new('--bail', '--bail', [CompletionResultType]::ParameterName, 'Stop at the first error in a script or argument list (sqlite3''s -bail)')
            [CompletionResult]::new('--no-init', '--no-init', [CompletionResultType]::ParameterName, 'Do not read ~/.libsql-shellrc at startup')
            [CompletionResult]::new('--echo', '--echo', [CompletionResultType]::ParameterName, 'Print each statement before running it (sqlite3''s -echo)')
            [CompletionResult]::new('--batch', '--batch', [CompletionResultType]::ParameterName, 'Never run the interactive shell, even on a terminal (sqlite3''s -batch)')
            [CompletionResult]::new('--interactive', '--interactive', [CompletionResultType]::ParameterName, 'Run the interactive shell even when standard input is not a terminal (sqlite3''s -interactive)')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Print column names (default: on for table, box, markdown, column, csv, tsv; off for list)')
            [CompletionResult]::new('--no-header', '--no-header', [CompletionResultType]::ParameterName, 'Do not print column names')
            [CompletionResult]::new('--csv', '--csv', [CompletionResultType]::ParameterName, 'Same as -m csv, without a header line unless --header')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Same as -m json')
            [CompletionResult]::new('--line', '--line', [CompletionResultType]::ParameterName, 'Same as -m line')
            [CompletionResult]::new('--list', '--list', [CompletionResultType]::ParameterName, 'Same as -m list')
            [CompletionResult]::new('--box', '--box', [CompletionResultType]::ParameterName, 'Same as -m box')
            [CompletionResult]::new('--markdown', '--markdown', [CompletionResultType]::ParameterName, 'Same as -m markdown')
            [CompletionResult]::new('--table', '--table', [CompletionResultType]::ParameterName, 'Same as -m table')
            [CompletionResult]::new('--quote', '--quote', [CompletionResultType]::ParameterName, 'Same as -m quote')
            [CompletionResult]::new('--html', '--html', [CompletionResultType]::ParameterName, 'Same as -m html')
            [CompletionResult]::new('--tabs', '--tabs', [CompletionResultType]::ParameterName, 'Same as -m tabs')
            [CompletionResult]::new('--ascii', '--ascii', [CompletionResultType]::ParameterName, 'Same as -m ascii')
            [CompletionResult]::new('--column', '--column', [CompletionResultType]::ParameterName, 'Same as -m column, without a header line unless --header')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('exec', 'exec', [CompletionResultType]::ParameterValue, 'Run SQL from arguments, files (-f) or stdin, and print the results')
            [CompletionResult]::new('batch', 'batch', [CompletionResultType]::ParameterValue, 'Run SQL files (or stdin) as ONE atomic transaction, in as few round trips as possible')
            [CompletionResult]::new('migrate', 'migrate', [CompletionResultType]::ParameterValue, 'Apply ordered SQL migrations: each atomic with its tracking row, in one request')
            [CompletionResult]::new('dump', 'dump', [CompletionResultType]::ParameterValue, 'Write the database as SQL (sqlite3 .dump layout), read from one consistent snapshot')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Load a CSV file into a table (header row = column names), in one transaction')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Named connections (@NAME): list them with tokens redacted, or print the file''s path')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'libsql-shell;exec' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Read SQL from FILE (repeatable; `-` is stdin)')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'Read SQL from FILE (repeatable; `-` is stdin)')
            [CompletionResult]::new('--param', '--param', [CompletionResultType]::ParameterName, 'Bind a named parameter, e.g. --param id=7 --param name="''O''''Brien''" (see VALUE syntax)')
            [CompletionResult]::new('--arg', '--arg', [CompletionResultType]::ParameterName, 'Bind the next positional parameter (`?`), e.g. --arg 7 --arg NULL --arg "''007''". VALUE: NULL, an integer, a real (1.5, 1e3), ''quoted text'', X''hex'' blob; anything else is text')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, list (sqlite3''s) when output is piped]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, list (sqlite3''s) when output is piped]')
            [CompletionResult]::new('--null', '--null', [CompletionResultType]::ParameterName, 'Text shown for NULL in text formats')
            [CompletionResult]::new('--separator', '--separator', [CompletionResultType]::ParameterName, 'Column separator for the list, csv, tabs, ascii, quote and tcl formats')
            [CompletionResult]::new('--newline', '--newline', [CompletionResultType]::ParameterName, 'Row separator for the list, tabs, ascii, quote, tcl and csv formats (sqlite3''s -newline)')
            [CompletionResult]::new('--insert-table', '--insert-table', [CompletionResultType]::ParameterName, 'Table name used by the insert format')
            [CompletionResult]::new('--auth-token', '--auth-token', [CompletionResultType]::ParameterName, 'Auth token for remote databases (else LIBSQL_AUTH_TOKEN, else TURSO_AUTH_TOKEN)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The database on a multi-tenant sqld, sent as `x-namespace` on every request (else LIBSQL_NAMESPACE, else a named connection''s `namespace`)')
            [CompletionResult]::new('--encryption-key', '--encryption-key', [CompletionResultType]::ParameterName, 'Encryption key of an encrypted Turso database, sent as `x-turso-encryption-key` on every request (else LIBSQL_ENCRYPTION_KEY, else TURSO_DB_REMOTE_ENCRYPTION_KEY, else a named connection''s `encryption_key_env`)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Remote request timeout in seconds')
            [CompletionResult]::new('--init-command', '--init-command', [CompletionResultType]::ParameterName, 'Local: SQL to run right after opening the database')
            [CompletionResult]::new('--transaction-mode', '--transaction-mode', [CompletionResultType]::ParameterName, 'Local: how a plain BEGIN is issued')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file of named connections (else LIBSQL_SHELL_CONFIG, else <config dir>/libsql-shell/config.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour error messages (auto: on a terminal, unless NO_COLOR is set)')
            [CompletionResult]::new('--keep-going', '--keep-going', [CompletionResultType]::ParameterName, 'Continue after a failed statement (the exit status is still 1)')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Print column names (default: on for table, box, markdown, column, csv, tsv; off for list)')
            [CompletionResult]::new('--no-header', '--no-header', [CompletionResultType]::ParameterName, 'Do not print column names')
            [CompletionResult]::new('--csv', '--csv', [CompletionResultType]::ParameterName, 'Same as -m csv, without a header line unless --header')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Same as -m json')
            [CompletionResult]::new('--line', '--line', [CompletionResultType]::ParameterName, 'Same as -m line')
            [CompletionResult]::new('--list', '--list', [CompletionResultType]::ParameterName, 'Same as -m list')
            [CompletionResult]::new('--box', '--box', [CompletionResultType]::ParameterName, 'Same as -m box')
            [CompletionResult]::new('--markdown', '--markdown', [CompletionResultType]::ParameterName, 'Same as -m markdown')
            [CompletionResult]::new('--table', '--table', [CompletionResultType]::ParameterName, 'Same as -m table')
            [CompletionResult]::new('--quote', '--quote', [CompletionResultType]::ParameterName, 'Same as -m quote')
            [CompletionResult]::new('--html', '--html', [CompletionResultType]::ParameterName, 'Same as -m html')
            [CompletionResult]::new('--tabs', '--tabs', [CompletionResultType]::ParameterName, 'Same as -m tabs')
            [CompletionResult]::new('--ascii', '--ascii', [CompletionResultType]::ParameterName, 'Same as -m ascii')
            [CompletionResult]::new('--column', '--column', [CompletionResultType]::ParameterName, 'Same as -m column, without a header line unless --header')
            [CompletionResult]::new('--readonly', '--readonly', [CompletionResultType]::ParameterName, 'Open a local database read-only (sqlite3''s -readonly). A remote database is read-only with a read-only token')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Treat DB as a local file name even if it looks like a host name')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Treat a bare DB name as a remote host (HTTPS)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'libsql-shell;batch' {
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, list (sqlite3''s) when output is piped]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, list (sqlite3''s) when output is piped]')
            [CompletionResult]::new('--null', '--null', [CompletionResultType]::ParameterName, 'Text shown for NULL in text formats')
            [CompletionResult]::new('--separator', '--separator', [CompletionResultType]::ParameterName, 'Column separator for the list, csv, tabs, ascii, quote and tcl formats')
            [CompletionResult]::new('--newline', '--newline', [CompletionResultType]::ParameterName, 'Row separator for the list, tabs, ascii, quote, tcl and csv formats (sqlite3''s -newline)')
            [CompletionResult]::new('--insert-table', '--insert-table', [CompletionResultType]::ParameterName, 'Table name used by the insert format')
            [CompletionResult]::new('--auth-token', '--auth-token', [CompletionResultType]::ParameterName, 'Auth token for remote databases (else LIBSQL_AUTH_TOKEN, else TURSO_AUTH_TOKEN)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The database on a multi-tenant sqld, sent as `x-namespace` on every request (else LIBSQL_NAMESPACE, else a named connection''s `namespace`)')
            [CompletionResult]::new('--encryption-key', '--encryption-key', [CompletionResultType]::ParameterName, 'Encryption key of an encrypted Turso database, sent as `x-turso-encryption-key` on every request (else LIBSQL_ENCRYPTION_KEY, else TURSO_DB_REMOTE_ENCRYPTION_KEY, else a named connection''s `encryption_key_env`)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Remote request timeout in seconds')
            [CompletionResult]::new('--init-command', '--init-command', [CompletionResultType]::ParameterName, 'Local: SQL to run right after opening the database')
            [CompletionResult]::new('--transaction-mode', '--transaction-mode', [CompletionResultType]::ParameterName, 'Local: how a plain BEGIN is issued')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file of named connections (else LIBSQL_SHELL_CONFIG, else <config dir>/libsql-shell/config.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour error messages (auto: on a terminal, unless NO_COLOR is set)')
            [CompletionResult]::new('--no-transaction', '--no-transaction', [CompletionResultType]::ParameterName, 'Run in autocommit instead of one transaction (statements are still grouped)')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Print column names (default: on for table, box, markdown, column, csv, tsv; off for list)')
            [CompletionResult]::new('--no-header', '--no-header', [CompletionResultType]::ParameterName, 'Do not print column names')
            [CompletionResult]::new('--csv', '--csv', [CompletionResultType]::ParameterName, 'Same as -m csv, without a header line unless --header')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Same as -m json')
            [CompletionResult]::new('--line', '--line', [CompletionResultType]::ParameterName, 'Same as -m line')
            [CompletionResult]::new('--list', '--list', [CompletionResultType]::ParameterName, 'Same as -m list')
            [CompletionResult]::new('--box', '--box', [CompletionResultType]::ParameterName, 'Same as -m box')
            [CompletionResult]::new('--markdown', '--markdown', [CompletionResultType]::ParameterName, 'Same as -m markdown')
            [CompletionResult]::new('--table', '--table', [CompletionResultType]::ParameterName, 'Same as -m table')
            [CompletionResult]::new('--quote', '--quote', [CompletionResultType]::ParameterName, 'Same as -m quote')
            [CompletionResult]::new('--html', '--html', [CompletionResultType]::ParameterName, 'Same as -m html')
            [CompletionResult]::new('--tabs', '--tabs', [CompletionResultType]::ParameterName, 'Same as -m tabs')
            [CompletionResult]::new('--ascii', '--ascii', [CompletionResultType]::ParameterName, 'Same as -m ascii')
            [CompletionResult]::new('--column', '--column', [CompletionResultType]::ParameterName, 'Same as -m column, without a header line unless --header')
            [CompletionResult]::new('--readonly', '--readonly', [CompletionResultType]::ParameterName, 'Open a local database read-only (sqlite3''s -readonly). A remote database is read-only with a read-only token')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Treat DB as a local file name even if it looks like a host name')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Treat a bare DB name as a remote host (HTTPS)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'libsql-shell;migrate' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Directory holding the migrations (see the layouts below)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Whose migrations DIR holds, instead of telling it from the directory (and from the tracking table already in the database): libsql, prisma, drizzle, golang-migrate, sqlx, dbmate, goose')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Apply pending migrations up to and including this version only')
            [CompletionResult]::new('--schema-file', '--schema-file', [CompletionResultType]::ParameterName, 'After a successful run, write the database''s schema (as `dump --schema-only`) here')
            [CompletionResult]::new('--auth-token', '--auth-token', [CompletionResultType]::ParameterName, 'Auth token for remote databases (else LIBSQL_AUTH_TOKEN, else TURSO_AUTH_TOKEN)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The database on a multi-tenant sqld, sent as `x-namespace` on every request (else LIBSQL_NAMESPACE, else a named connection''s `namespace`)')
            [CompletionResult]::new('--encryption-key', '--encryption-key', [CompletionResultType]::ParameterName, 'Encryption key of an encrypted Turso database, sent as `x-turso-encryption-key` on every request (else LIBSQL_ENCRYPTION_KEY, else TURSO_DB_REMOTE_ENCRYPTION_KEY, else a named connection''s `encryption_key_env`)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Remote request timeout in seconds')
            [CompletionResult]::new('--init-command', '--init-command', [CompletionResultType]::ParameterName, 'Local: SQL to run right after opening the database')
            [CompletionResult]::new('--transaction-mode', '--transaction-mode', [CompletionResultType]::ParameterName, 'Local: how a plain BEGIN is issued')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file of named connections (else LIBSQL_SHELL_CONFIG, else <config dir>/libsql-shell/config.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour error messages (auto: on a terminal, unless NO_COLOR is set)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the SQL that would run instead of running it')
            [CompletionResult]::new('--single-transaction', '--single-transaction', [CompletionResultType]::ParameterName, 'Apply every pending migration in ONE transaction (all or nothing)')
            [CompletionResult]::new('--allow-out-of-order', '--allow-out-of-order', [CompletionResultType]::ParameterName, 'Apply pending migrations older than the newest applied one instead of refusing')
            [CompletionResult]::new('--readonly', '--readonly', [CompletionResultType]::ParameterName, 'Open a local database read-only (sqlite3''s -readonly). A remote database is read-only with a read-only token')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Treat DB as a local file name even if it looks like a host name')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Treat a bare DB name as a remote host (HTTPS)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('up', 'up', [CompletionResultType]::ParameterValue, 'Apply pending migrations in order, each in its own transaction, all in one request (the default)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show every migration: applied, pending, changed (edited after applying), missing, or failed (recorded as failed half-way by its tool)')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Exit 1 when any migration is pending, changed, missing or failed (a CI gate); 0 otherwise')
            [CompletionResult]::new('new', 'new', [CompletionResultType]::ParameterValue, 'Create the next migration file (never overwrites)')
            [CompletionResult]::new('down', 'down', [CompletionResultType]::ParameterValue, 'Revert the newest applied migrations with their down sections (or .down.sql files)')
            [CompletionResult]::new('plan', 'plan', [CompletionResultType]::ParameterValue, 'Print the exact SQL `up` would send, per migration (same as `up --dry-run`)')
            [CompletionResult]::new('baseline', 'baseline', [CompletionResultType]::ParameterValue, 'Record migrations up to VERSION as applied without running them')
            [CompletionResult]::new('restamp', 'restamp', [CompletionResultType]::ParameterValue, 'Accept the new checksum of an applied migration whose file was edited')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'libsql-shell;migrate;up' {
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Apply pending migrations up to and including this version only')
            [CompletionResult]::new('--schema-file', '--schema-file', [CompletionResultType]::ParameterName, 'After a successful run, write the database''s schema (as `dump --schema-only`) here')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Directory holding the migrations (see the layouts below)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Whose migrations DIR holds, instead of telling it from the directory (and from the tracking table already in the database): libsql, prisma, drizzle, golang-migrate, sqlx, dbmate, goose')
            [CompletionResult]::new('--auth-token', '--auth-token', [CompletionResultType]::ParameterName, 'Auth token for remote databases (else LIBSQL_AUTH_TOKEN, else TURSO_AUTH_TOKEN)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The database on a multi-tenant sqld, sent as `x-namespace` on every request (else LIBSQL_NAMESPACE, else a named connection''s `namespace`)')
            [CompletionResult]::new('--encryption-key', '--encryption-key', [CompletionResultType]::ParameterName, 'Encryption key of an encrypted Turso database, sent as `x-turso-encryption-key` on every request (else LIBSQL_ENCRYPTION_KEY, else TURSO_DB_REMOTE_ENCRYPTION_KEY, else a named connection''s `encryption_key_env`)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Remote request timeout in seconds')
            [CompletionResult]::new('--init-command', '--init-command', [CompletionResultType]::ParameterName, 'Local: SQL to run right after opening the database')
            [CompletionResult]::new('--transaction-mode', '--transaction-mode', [CompletionResultType]::ParameterName, 'Local: how a plain BEGIN is issued')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file of named connections (else LIBSQL_SHELL_CONFIG, else <config dir>/libsql-shell/config.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour error messages (auto: on a terminal, unless NO_COLOR is set)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the SQL that would run instead of running it')
            [CompletionResult]::new('--single-transaction', '--single-transaction', [CompletionResultType]::ParameterName, 'Apply every pending migration in ONE transaction (all or nothing)')
            [CompletionResult]::new('--allow-out-of-order', '--allow-out-of-order', [CompletionResultType]::ParameterName, 'Apply pending migrations older than the newest applied one instead of refusing')
            [CompletionResult]::new('--readonly', '--readonly', [CompletionResultType]::ParameterName, 'Open a local database read-only (sqlite3''s -readonly). A remote database is read-only with a read-only token')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Treat DB as a local file name even if it looks like a host name')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Treat a bare DB name as a remote host (HTTPS)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'libsql-shell;migrate;status' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Directory holding the migrations (see the layouts below)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Whose migrations DIR holds, instead of telling it from the directory (and from the tracking table already in the database): libsql, prisma, drizzle, golang-migrate, sqlx, dbmate, goose')
            [CompletionResult]::new('--auth-token', '--auth-token', [CompletionResultType]::ParameterName, 'Auth token for remote databases (else LIBSQL_AUTH_TOKEN, else TURSO_AUTH_TOKEN)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The database on a multi-tenant sqld, sent as `x-namespace` on every request (else LIBSQL_NAMESPACE, else a named connection''s `namespace`)')
            [CompletionResult]::new('--encryption-key', '--encryption-key', [CompletionResultType]::ParameterName, 'Encryption key of an encrypted Turso database, sent as `x-turso-encryption-key` on every request (else LIBSQL_ENCRYPTION_KEY, else TURSO_DB_REMOTE_ENCRYPTION_KEY, else a named connection''s `encryption_key_env`)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Remote request timeout in seconds')
            [CompletionResult]::new('--init-command', '--init-command', [CompletionResultType]::ParameterName, 'Local: SQL to run right after opening the database')
            [CompletionResult]::new('--transaction-mode', '--transaction-mode', [CompletionResultType]::ParameterName, 'Local: how a plain BEGIN is issued')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file of named connections (else LIBSQL_SHELL_CONFIG, else <config dir>/libsql-shell/config.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour error messages (auto: on a terminal, unless NO_COLOR is set)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the status as JSON (one object per migration)')
            [CompletionResult]::new('--exit-code', '--exit-code', [CompletionResultType]::ParameterName, 'Exit 1 when anything is pending, changed or missing')
            [CompletionResult]::new('--readonly', '--readonly', [CompletionResultType]::ParameterName, 'Open a local database read-only (sqlite3''s -readonly). A remote database is read-only with a read-only token')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Treat DB as a local file name even if it looks like a host name')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Treat a bare DB name as a remote host (HTTPS)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'libsql-shell;migrate;check' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Directory holding the migrations (see the layouts below)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Whose migrations DIR holds, instead of telling it from the directory (and from the tracking table already in the database): libsql, prisma, drizzle, golang-migrate, sqlx, dbmate, goose')
            [CompletionResult]::new('--auth-token', '--auth-token', [CompletionResultType]::ParameterName, 'Auth token for remote databases (else LIBSQL_AUTH_TOKEN, else TURSO_AUTH_TOKEN)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The database on a multi-tenant sqld, sent as `x-namespace` on every request (else LIBSQL_NAMESPACE, else a named connection''s `namespace`)')
            [CompletionResult]::new('--encryption-key', '--encryption-key', [CompletionResultType]::ParameterName, 'Encryption key of an encrypted Turso database, sent as `x-turso-encryption-key` on every request (else LIBSQL_ENCRYPTION_KEY, else TURSO_DB_REMOTE_ENCRYPTION_KEY, else a named connection''s `encryption_key_env`)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Remote request timeout in seconds')
            [CompletionResult]::new('--init-command', '--init-command', [CompletionResultType]::ParameterName, 'Local: SQL to run right after opening the database')
            [CompletionResult]::new('--transaction-mode', '--transaction-mode', [CompletionResultType]::ParameterName, 'Local: how a plain BEGIN is issued')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file of named connections (else LIBSQL_SHELL_CONFIG, else <config dir>/libsql-shell/config.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour error messages (auto: on a terminal, unless NO_COLOR is set)')
            [CompletionResult]::new('--readonly', '--readonly', [CompletionResultType]::ParameterName, 'Open a local database read-only (sqlite3''s -readonly). A remote database is read-only with a read-only token')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Treat DB as a local file name even if it looks like a host name')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Treat a bare DB name as a remote host (HTTPS)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'libsql-shell;migrate;new' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Directory holding the migrations (see the layouts below)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Whose migrations DIR holds, instead of telling it from the directory (and from the tracking table already in the database): libsql, prisma, drizzle, golang-migrate, sqlx, dbmate, goose')
            [CompletionResult]::new('--auth-token', '--auth-token', [CompletionResultType]::ParameterName, 'Auth token for remote databases (else LIBSQL_AUTH_TOKEN, else TURSO_AUTH_TOKEN)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The database on a multi-tenant sqld, sent as `x-namespace` on every request (else LIBSQL_NAMESPACE, else a named connection''s `namespace`)')
            [CompletionResult]::new('--encryption-key', '--encryption-key', [CompletionResultType]::ParameterName, 'Encryption key of an encrypted Turso database, sent as `x-turso-encryption-key` on every request (else LIBSQL_ENCRYPTION_KEY, else TURSO_DB_REMOTE_ENCRYPTION_KEY, else a named connection''s `encryption_key_env`)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Remote request timeout in seconds')
            [CompletionResult]::new('--init-command', '--init-command', [CompletionResultType]::ParameterName, 'Local: SQL to run right after opening the database')
            [CompletionResult]::new('--transaction-mode', '--transaction-mode', [CompletionResultType]::ParameterName, 'Local: how a plain BEGIN is issued')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file of named connections (else LIBSQL_SHELL_CONFIG, else <config dir>/libsql-shell/config.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour error messages (auto: on a terminal, unless NO_COLOR is set)')
            [CompletionResult]::new('--timestamp', '--timestamp', [CompletionResultType]::ParameterName, 'Use a UTC timestamp (YYYYMMDDHHMMSS) as the version even if the files are numbered')
            [CompletionResult]::new('--readonly', '--readonly', [CompletionResultType]::ParameterName, 'Open a local database read-only (sqlite3''s -readonly). A remote database is read-only with a read-only token')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Treat DB as a local file name even if it looks like a host name')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Treat a bare DB name as a remote host (HTTPS)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'libsql-shell;migrate;down' {
            [CompletionResult]::new('--steps', '--steps', [CompletionResultType]::ParameterName, 'How many migrations to revert, newest first')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Directory holding the migrations (see the layouts below)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Whose migrations DIR holds, instead of telling it from the directory (and from the tracking table already in the database): libsql, prisma, drizzle, golang-migrate, sqlx, dbmate, goose')
            [CompletionResult]::new('--auth-token', '--auth-token', [CompletionResultType]::ParameterName, 'Auth token for remote databases (else LIBSQL_AUTH_TOKEN, else TURSO_AUTH_TOKEN)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The database on a multi-tenant sqld, sent as `x-namespace` on every request (else LIBSQL_NAMESPACE, else a named connection''s `namespace`)')
            [CompletionResult]::new('--encryption-key', '--encryption-key', [CompletionResultType]::ParameterName, 'Encryption key of an encrypted Turso database, sent as `x-turso-encryption-key` on every request (else LIBSQL_ENCRYPTION_KEY, else TURSO_DB_REMOTE_ENCRYPTION_KEY, else a named connection''s `encryption_key_env`)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Remote request timeout in seconds')
            [CompletionResult]::new('--init-command', '--init-command', [CompletionResultType]::ParameterName, 'Local: SQL to run right after opening the database')
            [CompletionResult]::new('--transaction-mode', '--transaction-mode', [CompletionResultType]::ParameterName, 'Local: how a plain BEGIN is issued')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file of named connections (else LIBSQL_SHELL_CONFIG, else <config dir>/libsql-shell/config.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour error messages (auto: on a terminal, unless NO_COLOR is set)')
            [CompletionResult]::new('--readonly', '--readonly', [CompletionResultType]::ParameterName, 'Open a local database read-only (sqlite3''s -readonly). A remote database is read-only with a read-only token')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Treat DB as a local file name even if it looks like a host name')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Treat a bare DB name as a remote host (HTTPS)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'libsql-shell;migrate;plan' {
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Apply pending migrations up to and including this version only')
            [CompletionResult]::new('--schema-file', '--schema-file', [CompletionResultType]::ParameterName, 'After a successful run, write the database''s schema (as `dump --schema-only`) here')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Directory holding the migrations (see the layouts below)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Whose migrations DIR holds, instead of telling it from the directory (and from the tracking table already in the database): libsql, prisma, drizzle, golang-migrate, sqlx, dbmate, goose')
            [CompletionResult]::new('--auth-token', '--auth-token', [CompletionResultType]::ParameterName, 'Auth token for remote databases (else LIBSQL_AUTH_TOKEN, else TURSO_AUTH_TOKEN)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The database on a multi-tenant sqld, sent as `x-namespace` on every request (else LIBSQL_NAMESPACE, else a named connection''s `namespace`)')
            [CompletionResult]::new('--encryption-key', '--encryption-key', [CompletionResultType]::ParameterName, 'Encryption key of an encrypted Turso database, sent as `x-turso-encryption-key` on every request (else LIBSQL_ENCRYPTION_KEY, else TURSO_DB_REMOTE_ENCRYPTION_KEY, else a named connection''s `encryption_key_env`)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Remote request timeout in seconds')
            [CompletionResult]::new('--init-command', '--init-command', [CompletionResultType]::ParameterName, 'Local: SQL to run right after opening the database')
            [CompletionResult]::new('--transaction-mode', '--transaction-mode', [CompletionResultType]::ParameterName, 'Local: how a plain BEGIN is issued')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file of named connections (else LIBSQL_SHELL_CONFIG, else <config dir>/libsql-shell/config.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour error messages (auto: on a terminal, unless NO_COLOR is set)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the SQL that would run instead of running it')
            [CompletionResult]::new('--single-transaction', '--single-transaction', [CompletionResultType]::ParameterName, 'Apply every pending migration in ONE transaction (all or nothing)')
            [CompletionResult]::new('--allow-out-of-order', '--allow-out-of-order', [CompletionResultType]::ParameterName, 'Apply pending migrations older than the newest applied one instead of refusing')
            [CompletionResult]::new('--readonly', '--readonly', [CompletionResultType]::ParameterName, 'Open a local database read-only (sqlite3''s -readonly). A remote database is read-only with a read-only token')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Treat DB as a local file name even if it looks like a host name')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Treat a bare DB name as a remote host (HTTPS)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'libsql-shell;migrate;baseline' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Directory holding the migrations (see the layouts below)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Whose migrations DIR holds, instead of telling it from the directory (and from the tracking table already in the database): libsql, prisma, drizzle, golang-migrate, sqlx, dbmate, goose')
            [CompletionResult]::new('--auth-token', '--auth-token', [CompletionResultType]::ParameterName, 'Auth token for remote databases (else LIBSQL_AUTH_TOKEN, else TURSO_AUTH_TOKEN)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The database on a multi-tenant sqld, sent as `x-namespace` on every request (else LIBSQL_NAMESPACE, else a named connection''s `namespace`)')
            [CompletionResult]::new('--encryption-key', '--encryption-key', [CompletionResultType]::ParameterName, 'Encryption key of an encrypted Turso database, sent as `x-turso-encryption-key` on every request (else LIBSQL_ENCRYPTION_KEY, else TURSO_DB_REMOTE_ENCRYPTION_KEY, else a named connection''s `encryption_key_env`)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Remote request timeout in seconds')
            [CompletionResult]::new('--init-command', '--init-command', [CompletionResultType]::ParameterName, 'Local: SQL to run right after opening the database')
            [CompletionResult]::new('--transaction-mode', '--transaction-mode', [CompletionResultType]::ParameterName, 'Local: how a plain BEGIN is issued')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file of named connections (else LIBSQL_SHELL_CONFIG, else <config dir>/libsql-shell/config.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour error messages (auto: on a terminal, unless NO_COLOR is set)')
            [CompletionResult]::new('--readonly', '--readonly', [CompletionResultType]::ParameterName, 'Open a local database read-only (sqlite3''s -readonly). A remote database is read-only with a read-only token')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Treat DB as a local file name even if it looks like a host name')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Treat a bare DB name as a remote host (HTTPS)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'libsql-shell;migrate;restamp' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Directory holding the migrations (see the layouts below)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Whose migrations DIR holds, instead of telling it from the directory (and from the tracking table already in the database): libsql, prisma, drizzle, golang-migrate, sqlx, dbmate, goose')
            [CompletionResult]::new('--auth-token', '--auth-token', [CompletionResultType]::ParameterName, 'Auth token for remote databases (else LIBSQL_AUTH_TOKEN, else TURSO_AUTH_TOKEN)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The database on a multi-tenant sqld, sent as `x-namespace` on every request (else LIBSQL_NAMESPACE, else a named connection''s `namespace`)')
            [CompletionResult]::new('--encryption-key', '--encryption-key', [CompletionResultType]::ParameterName, 'Encryption key of an encrypted Turso database, sent as `x-turso-encryption-key` on every request (else LIBSQL_ENCRYPTION_KEY, else TURSO_DB_REMOTE_ENCRYPTION_KEY, else a named connection''s `encryption_key_env`)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Remote request timeout in seconds')
            [CompletionResult]::new('--init-command', '--init-command', [CompletionResultType]::ParameterName, 'Local: SQL to run right after opening the database')
            [CompletionResult]::new('--transaction-mode', '--transaction-mode', [CompletionResultType]::ParameterName, 'Local: how a plain BEGIN is issued')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file of named connections (else LIBSQL_SHELL_CONFIG, else <config dir>/libsql-shell/config.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour error messages (auto: on a terminal, unless NO_COLOR is set)')
            [CompletionResult]::new('--readonly', '--readonly', [CompletionResultType]::ParameterName, 'Open a local database read-only (sqlite3''s -readonly). A remote database is read-only with a read-only token')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Treat DB as a local file name even if it looks like a host name')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Treat a bare DB name as a remote host (HTTPS)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'libsql-shell;migrate;help' {
            [CompletionResult]::new('up', 'up', [CompletionResultType]::ParameterValue, 'Apply pending migrations in order, each in its own transaction, all in one request (the default)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show every migration: applied, pending, changed (edited after applying), missing, or failed (recorded as failed half-way by its tool)')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Exit 1 when any migration is pending, changed, missing or failed (a CI gate); 0 otherwise')
            [CompletionResult]::new('new', 'new', [CompletionResultType]::ParameterValue, 'Create the next migration file (never overwrites)')
            [CompletionResult]::new('down', 'down', [CompletionResultType]::ParameterValue, 'Revert the newest applied migrations with their down sections (or .down.sql files)')
            [CompletionResult]::new('plan', 'plan', [CompletionResultType]::ParameterValue, 'Print the exact SQL `up` would send, per migration (same as `up --dry-run`)')
            [CompletionResult]::new('baseline', 'baseline', [CompletionResultType]::ParameterValue, 'Record migrations up to VERSION as applied without running them')
            [CompletionResult]::new('restamp', 'restamp', [CompletionResultType]::ParameterValue, 'Accept the new checksum of an applied migration whose file was edited')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'libsql-shell;migrate;help;up' {
            break
        }
        'libsql-shell;migrate;help;status' {
            break
        }
        'libsql-shell;migrate;help;check' {
            break
        }
        'libsql-shell;migrate;help;new' {
            break
        }
        'libsql-shell;migrate;help;down' {
            break
        }
        'libsql-shell;migrate;help;plan' {
            break
        }
        'libsql-shell;migrate;help;baseline' {
            break
        }
        'libsql-shell;migrate;help;restamp' {
            break
        }
        'libsql-shell;migrate;help;help' {
            break
        }
        'libsql-shell;dump' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write to FILE (replaced only when the dump is complete) instead of stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write to FILE (replaced only when the dump is complete) instead of stdout')
            [CompletionResult]::new('--page-rows', '--page-rows', [CompletionResultType]::ParameterName, 'Rows per request instead of the adaptive page size (testing aid)')
            [CompletionResult]::new('--auth-token', '--auth-token', [CompletionResultType]::ParameterName, 'Auth token for remote databases (else LIBSQL_AUTH_TOKEN, else TURSO_AUTH_TOKEN)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The database on a multi-tenant sqld, sent as `x-namespace` on every request (else LIBSQL_NAMESPACE, else a named connection''s `namespace`)')
            [CompletionResult]::new('--encryption-key', '--encryption-key', [CompletionResultType]::ParameterName, 'Encryption key of an encrypted Turso database, sent as `x-turso-encryption-key` on every request (else LIBSQL_ENCRYPTION_KEY, else TURSO_DB_REMOTE_ENCRYPTION_KEY, else a named connection''s `encryption_key_env`)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Remote request timeout in seconds')
            [CompletionResult]::new('--init-command', '--init-command', [CompletionResultType]::ParameterName, 'Local: SQL to run right after opening the database')
            [CompletionResult]::new('--transaction-mode', '--transaction-mode', [CompletionResultType]::ParameterName, 'Local: how a plain BEGIN is issued')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file of named connections (else LIBSQL_SHELL_CONFIG, else <config dir>/libsql-shell/config.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour error messages (auto: on a terminal, unless NO_COLOR is set)')
            [CompletionResult]::new('--schema-only', '--schema-only', [CompletionResultType]::ParameterName, 'Only the schema: CREATE statements, no rows')
            [CompletionResult]::new('--data-only', '--data-only', [CompletionResultType]::ParameterName, 'Only the rows: INSERT statements, no CREATE, no BEGIN/COMMIT')
            [CompletionResult]::new('--readonly', '--readonly', [CompletionResultType]::ParameterName, 'Open a local database read-only (sqlite3''s -readonly). A remote database is read-only with a read-only token')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Treat DB as a local file name even if it looks like a host name')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Treat a bare DB name as a remote host (HTTPS)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'libsql-shell;import' {
            [CompletionResult]::new('--table', '--table', [CompletionResultType]::ParameterName, 'Table to load into; created (columns named by the header row) if missing')
            [CompletionResult]::new('--skip', '--skip', [CompletionResultType]::ParameterName, 'Skip N rows before the header row')
            [CompletionResult]::new('--delimiter', '--delimiter', [CompletionResultType]::ParameterName, 'Field separator: one character, or `\t` / `tab`')
            [CompletionResult]::new('--auth-token', '--auth-token', [CompletionResultType]::ParameterName, 'Auth token for remote databases (else LIBSQL_AUTH_TOKEN, else TURSO_AUTH_TOKEN)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The database on a multi-tenant sqld, sent as `x-namespace` on every request (else LIBSQL_NAMESPACE, else a named connection''s `namespace`)')
            [CompletionResult]::new('--encryption-key', '--encryption-key', [CompletionResultType]::ParameterName, 'Encryption key of an encrypted Turso database, sent as `x-turso-encryption-key` on every request (else LIBSQL_ENCRYPTION_KEY, else TURSO_DB_REMOTE_ENCRYPTION_KEY, else a named connection''s `encryption_key_env`)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Remote request timeout in seconds')
            [CompletionResult]::new('--init-command', '--init-command', [CompletionResultType]::ParameterName, 'Local: SQL to run right after opening the database')
            [CompletionResult]::new('--transaction-mode', '--transaction-mode', [CompletionResultType]::ParameterName, 'Local: how a plain BEGIN is issued')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file of named connections (else LIBSQL_SHELL_CONFIG, else <config dir>/libsql-shell/config.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour error messages (auto: on a terminal, unless NO_COLOR is set)')
            [CompletionResult]::new('--no-transaction', '--no-transaction', [CompletionResultType]::ParameterName, 'Commit as the rows go instead of in one transaction (a failure keeps earlier rows)')
            [CompletionResult]::new('--readonly', '--readonly', [CompletionResultType]::ParameterName, 'Open a local database read-only (sqlite3''s -readonly). A remote database is read-only with a read-only token')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Treat DB as a local file name even if it looks like a host name')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Treat a bare DB name as a remote host (HTTPS)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'libsql-shell;config' {
            [CompletionResult]::new('--auth-token', '--auth-token', [CompletionResultType]::ParameterName, 'Auth token for remote databases (else LIBSQL_AUTH_TOKEN, else TURSO_AUTH_TOKEN)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The database on a multi-tenant sqld, sent as `x-namespace` on every request (else LIBSQL_NAMESPACE, else a named connection''s `namespace`)')
            [CompletionResult]::new('--encryption-key', '--encryption-key', [CompletionResultType]::ParameterName, 'Encryption key of an encrypted Turso database, sent as `x-turso-encryption-key` on every request (else LIBSQL_ENCRYPTION_KEY, else TURSO_DB_REMOTE_ENCRYPTION_KEY, else a named connection''s `encryption_key_env`)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Remote request timeout in seconds')
            [CompletionResult]::new('--init-command', '--init-command', [CompletionResultType]::ParameterName, 'Local: SQL to run right after opening the database')
            [CompletionResult]::new('--transaction-mode', '--transaction-mode', [CompletionResultType]::ParameterName, 'Local: how a plain BEGIN is issued')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file of named connections (else LIBSQL_SHELL_CONFIG, else <config dir>/libsql-shell/config.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour error messages (auto: on a terminal, unless NO_COLOR is set)')
            [CompletionResult]::new('--readonly', '--readonly', [CompletionResultType]::ParameterName, 'Open a local database read-only (sqlite3''s -readonly). A remote database is read-only with a read-only token')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Treat DB as a local file name even if it looks like a host name')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Treat a bare DB name as a remote host (HTTPS)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the named connections (@NAME); tokens are never shown')
            [CompletionResult]::new('path', 'path', [CompletionResultType]::ParameterValue, 'Print the path of the config file (which need not exist yet)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'libsql-shell;config;list' {
            [CompletionResult]::new('--auth-token', '--auth-token', [CompletionResultType]::ParameterName, 'Auth token for remote databases (else LIBSQL_AUTH_TOKEN, else TURSO_AUTH_TOKEN)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The database on a multi-tenant sqld, sent as `x-namespace` on every request (else LIBSQL_NAMESPACE, else a named connection''s `namespace`)')
            [CompletionResult]::new('--encryption-key', '--encryption-key', [CompletionResultType]::ParameterName, 'Encryption key of an encrypted Turso database, sent as `x-turso-encryption-key` on every request (else LIBSQL_ENCRYPTION_KEY, else TURSO_DB_REMOTE_ENCRYPTION_KEY, else a named connection''s `encryption_key_env`)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Remote request timeout in seconds')
            [CompletionResult]::new('--init-command', '--init-command', [CompletionResultType]::ParameterName, 'Local: SQL to run right after opening the database')
            [CompletionResult]::new('--transaction-mode', '--transaction-mode', [CompletionResultType]::ParameterName, 'Local: how a plain BEGIN is issued')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file of named connections (else LIBSQL_SHELL_CONFIG, else <config dir>/libsql-shell/config.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour error messages (auto: on a terminal, unless NO_COLOR is set)')
            [CompletionResult]::new('--readonly', '--readonly', [CompletionResultType]::ParameterName, 'Open a local database read-only (sqlite3''s -readonly). A remote database is read-only with a read-only token')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Treat DB as a local file name even if it looks like a host name')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Treat a bare DB name as a remote host (HTTPS)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'libsql-shell;config;path' {
            [CompletionResult]::new('--auth-token', '--auth-token', [CompletionResultType]::ParameterName, 'Auth token for remote databases (else LIBSQL_AUTH_TOKEN, else TURSO_AUTH_TOKEN)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The database on a multi-tenant sqld, sent as `x-namespace` on every request (else LIBSQL_NAMESPACE, else a named connection''s `namespace`)')
            [CompletionResult]::new('--encryption-key', '--encryption-key', [CompletionResultType]::ParameterName, 'Encryption key of an encrypted Turso database, sent as `x-turso-encryption-key` on every request (else LIBSQL_ENCRYPTION_KEY, else TURSO_DB_REMOTE_ENCRYPTION_KEY, else a named connection''s `encryption_key_env`)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Remote request timeout in seconds')
            [CompletionResult]::new('--init-command', '--init-command', [CompletionResultType]::ParameterName, 'Local: SQL to run right after opening the database')
            [CompletionResult]::new('--transaction-mode', '--transaction-mode', [CompletionResultType]::ParameterName, 'Local: how a plain BEGIN is issued')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file of named connections (else LIBSQL_SHELL_CONFIG, else <config dir>/libsql-shell/config.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour error messages (auto: on a terminal, unless NO_COLOR is set)')
            [CompletionResult]::new('--readonly', '--readonly', [CompletionResultType]::ParameterName, 'Open a local database read-only (sqlite3''s -readonly). A remote database is read-only with a read-only token')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Treat DB as a local file name even if it looks like a host name')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Treat a bare DB name as a remote host (HTTPS)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'libsql-shell;config;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the named connections (@NAME); tokens are never shown')
            [CompletionResult]::new('path', 'path', [CompletionResultType]::ParameterValue, 'Print the path of the config file (which need not exist yet)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'libsql-shell;config;help;list' {
            break
        }
        'libsql-shell;config;help;path' {
            break
        }
        'libsql-shell;config;help;help' {
            break
        }
        'libsql-shell;help' {
            [CompletionResult]::new('exec', 'exec', [CompletionResultType]::ParameterValue, 'Run SQL from arguments, files (-f) or stdin, and print the results')
            [CompletionResult]::new('batch', 'batch', [CompletionResultType]::ParameterValue, 'Run SQL files (or stdin) as ONE atomic transaction, in as few round trips as possible')
            [CompletionResult]::new('migrate', 'migrate', [CompletionResultType]::ParameterValue, 'Apply ordered SQL migrations: each atomic with its tracking row, in one request')
            [CompletionResult]::new('dump', 'dump', [CompletionResultType]::ParameterValue, 'Write the database as SQL (sqlite3 .dump layout), read from one consistent snapshot')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Load a CSV file into a table (header row = column names), in one transaction')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Named connections (@NAME): list them with tokens redacted, or print the file''s path')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'libsql-shell;help;exec' {
            break
        }
        'libsql-shell;help;batch' {
            break
        }
        'libsql-shell;help;migrate' {
            [CompletionResult]::new('up', 'up', [CompletionResultType]::ParameterValue, 'Apply pending migrations in order, each in its own transaction, all in one request (the default)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show every migration: applied, pending, changed (edited after applying), missing, or failed (recorded as failed half-way by its tool)')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Exit 1 when any migration is pending, changed, missing or failed (a CI gate); 0 otherwise')
            [CompletionResult]::new('new', 'new', [CompletionResultType]::ParameterValue, 'Create the next migration file (never overwrites)')
            [CompletionResult]::new('down', 'down', [CompletionResultType]::ParameterValue, 'Revert the newest applied migrations with their down sections (or .down.sql files)')
            [CompletionResult]::new('plan', 'plan', [CompletionResultType]::ParameterValue, 'Print the exact SQL `up` would send, per migration (same as `up --dry-run`)')
            [CompletionResult]::new('baseline', 'baseline', [CompletionResultType]::ParameterValue, 'Record migrations up to VERSION as applied without running them')
            [CompletionResult]::new('restamp', 'restamp', [CompletionResultType]::ParameterValue, 'Accept the new checksum of an applied migration whose file was edited')
            break
        }
        'libsql-shell;help;migrate;up' {
            break
        }
        'libsql-shell;help;migrate;status' {
            break
        }
        'libsql-shell;help;migrate;check' {
            break
        }
        'libsql-shell;help;migrate;new' {
            break
        }
        'libsql-shell;help;migrate;down' {
            break
        }
        'libsql-shell;help;migrate;plan' {
            break
        }
        'libsql-shell;help;migrate;baseline' {
            break
        }
        'libsql-shell;help;migrate;restamp' {
            break
        }
        'libsql-shell;help;dump' {
            break
        }
        'libsql-shell;help;import' {
            break
        }
        'libsql-shell;help;config' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the named connections (@NAME); tokens are never shown')
            [CompletionResult]::new('path', 'path', [CompletionResultType]::ParameterValue, 'Print the path of the config file (which need not exist yet)')
            break
        }
        'libsql-shell;help;config;list' {
            break
        }
        'libsql-shell;help;config;path' {
            break
        }
        'libsql-shell;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
