
use builtin;
use str;

set edit:completion:arg-completer[libsql-shell] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'libsql-shell'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'libsql-shell'= {
            cand --auth-token 'Auth token for remote databases (else LIBSQL_AUTH_TOKEN, else TURSO_AUTH_TOKEN)'
            cand --namespace 'The database on a multi-tenant sqld, sent as `x-namespace` on every request (else LIBSQL_NAMESPACE, else a named connection''s `namespace`)'
            cand --encryption-key 'Encryption key of an encrypted Turso database, sent as `x-turso-encryption-key` on every request (else LIBSQL_ENCRYPTION_KEY, else TURSO_DB_REMOTE_ENCRYPTION_KEY, else a named connection''s `encryption_key_env`)'
            cand --timeout 'Remote request timeout in seconds'
            cand --init-command 'Local: SQL to run right after opening the database'
            cand --transaction-mode 'Local: how a plain BEGIN is issued'
            cand --config 'Config file of named connections (else LIBSQL_SHELL_CONFIG, else <config dir>/libsql-shell/config.toml)'
            cand --cmd 'Run COMMAND (SQL or a dot-command) before reading input; repeatable (sqlite3''s -cmd)'
            cand --init 'Read FILE at startup instead of ~/.libsql-shellrc (sqlite3''s -init)'
            cand -m 'Output format [default: table on a terminal, list (sqlite3''s) when output is piped]'
            cand --format 'Output format [default: table on a terminal, list (sqlite3''s) when output is piped]'
            cand --null 'Text shown for NULL in text formats'
            cand --separator 'Column separator for the list, csv, tabs, ascii, quote and tcl formats'
            cand --newline 'Row separator for the list, tabs, ascii, quote, tcl and csv formats (sqlite3''s -newline)'
            cand --insert-table 'Table name used by the insert format'
            cand --color 'When to colour error messages (auto: on a terminal, unless NO_COLOR is set)'
            cand --readonly 'Open a local database read-only (sqlite3''s -readonly). A remote database is read-only with a read-only token'
            cand --local 'Treat DB as a local file name even if it looks like a host name'
            cand --remote 'Treat a bare DB name as a remote host (HTTPS)'
            cand -v 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time'
            cand --trace 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time'
            cand --bail 'Stop at the first error in a script or argument list (sqlite3''s -bail)'
            cand --no-init 'Do not read ~/.libsql-shellrc at startup'
            cand --echo 'Print each statement before running it (sqlite3''s -echo)'
            cand --batch 'Never run the interactive shell, even on a terminal (sqlite3''s -batch)'
            cand --interactive 'Run the interactive shell even when standard input is not a terminal (sqlite3''s -interactive)'
            cand --header 'Print column names (default: on for table, box, markdown, column, csv, tsv; off for list)'
            cand --no-header 'Do not print column names'
            cand --csv 'Same as -m csv, without a header line unless --header'
            cand --json 'Same as -m json'
            cand --line 'Same as -m line'
            cand --list 'Same as -m list'
            cand --box 'Same as -m box'
            cand --markdown 'Same as -m markdown'
            cand --table 'Same as -m table'
            cand --quote 'Same as -m quote'
            cand --html 'Same as -m html'
            cand --tabs 'Same as -m tabs'
            cand --ascii 'Same as -m ascii'
            cand --column 'Same as -m column, without a header line unless --header'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand exec 'Run SQL from arguments, files (-f) or stdin, and print the results'
            cand batch 'Run SQL files (or stdin) as ONE atomic transaction, in as few round trips as possible'
            cand migrate 'Apply ordered SQL migrations: each atomic with its tracking row, in one request'
            cand dump 'Write the database as SQL (sqlite3 .dump layout), read from one consistent snapshot'
            cand import 'Load a CSV file into a table (header row = column names), in one transaction'
            cand config 'Named connections (@NAME): list them with tokens redacted, or print the file''s path'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'libsql-shell;exec'= {
            cand -f 'Read SQL from FILE (repeatable; `-` is stdin)'
            cand --file 'Read SQL from FILE (repeatable; `-` is stdin)'
            cand --param 'Bind a named parameter, e.g. --param id=7 --param name="''O''''Brien''" (see VALUE syntax)'
            cand --arg 'Bind the next positional parameter (`?`), e.g. --arg 7 --arg NULL --arg "''007''". VALUE: NULL, an integer, a real (1.5, 1e3), ''quoted text'', X''hex'' blob; anything else is text'
            cand -m 'Output format [default: table on a terminal, list (sqlite3''s) when output is piped]'
            cand --format 'Output format [default: table on a terminal, list (sqlite3''s) when output is piped]'
            cand --null 'Text shown for NULL in text formats'
            cand --separator 'Column separator for the list, csv, tabs, ascii, quote and tcl formats'
            cand --newline 'Row separator for the list, tabs, ascii, quote, tcl and csv formats (sqlite3''s -newline)'
            cand --insert-table 'Table name used by the insert format'
            cand --auth-token 'Auth token for remote databases (else LIBSQL_AUTH_TOKEN, else TURSO_AUTH_TOKEN)'
            cand --namespace 'The database on a multi-tenant sqld, sent as `x-namespace` on every request (else LIBSQL_NAMESPACE, else a named connection''s `namespace`)'
            cand --encryption-key 'Encryption key of an encrypted Turso database, sent as `x-turso-encryption-key` on every request (else LIBSQL_ENCRYPTION_KEY, else TURSO_DB_REMOTE_ENCRYPTION_KEY, else a named connection''s `encryption_key_env`)'
            cand --timeout 'Remote request timeout in seconds'
            cand --init-command 'Local: SQL to run right after opening the database'
            cand --transaction-mode 'Local: how a plain BEGIN is issued'
            cand --config 'Config file of named connections (else LIBSQL_SHELL_CONFIG, else <config dir>/libsql-shell/config.toml)'
            cand --color 'When to colour error messages (auto: on a terminal, unless NO_COLOR is set)'
            cand --keep-going 'Continue after a failed statement (the exit status is still 1)'
            cand --header 'Print column names (default: on for table, box, markdown, column, csv, tsv; off for list)'
            cand --no-header 'Do not print column names'
            cand --csv 'Same as -m csv, without a header line unless --header'
            cand --json 'Same as -m json'
            cand --line 'Same as -m line'
            cand --list 'Same as -m list'
            cand --box 'Same as -m box'
            cand --markdown 'Same as -m markdown'
            cand --table 'Same as -m table'
            cand --quote 'Same as -m quote'
            cand --html 'Same as -m html'
            cand --tabs 'Same as -m tabs'
            cand --ascii 'Same as -m ascii'
            cand --column 'Same as -m column, without a header line unless --header'
            cand --readonly 'Open a local database read-only (sqlite3''s -readonly). A remote database is read-only with a read-only token'
            cand --local 'Treat DB as a local file name even if it looks like a host name'
            cand --remote 'Treat a bare DB name as a remote host (HTTPS)'
            cand -v 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time'
            cand --trace 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'libsql-shell;batch'= {
            cand -m 'Output format [default: table on a terminal, list (sqlite3''s) when output is piped]'
            cand --format 'Output format [default: table on a terminal, list (sqlite3''s) when output is piped]'
            cand --null 'Text shown for NULL in text formats'
            cand --separator 'Column separator for the list, csv, tabs, ascii, quote and tcl formats'
            cand --newline 'Row separator for the list, tabs, ascii, quote, tcl and csv formats (sqlite3''s -newline)'
            cand --insert-table 'Table name used by the insert format'
            cand --auth-token 'Auth token for remote databases (else LIBSQL_AUTH_TOKEN, else TURSO_AUTH_TOKEN)'
            cand --namespace 'The database on a multi-tenant sqld, sent as `x-namespace` on every request (else LIBSQL_NAMESPACE, else a named connection''s `namespace`)'
            cand --encryption-key 'Encryption key of an encrypted Turso database, sent as `x-turso-encryption-key` on every request (else LIBSQL_ENCRYPTION_KEY, else TURSO_DB_REMOTE_ENCRYPTION_KEY, else a named connection''s `encryption_key_env`)'
            cand --timeout 'Remote request timeout in seconds'
            cand --init-command 'Local: SQL to run right after opening the database'
            cand --transaction-mode 'Local: how a plain BEGIN is issued'
            cand --config 'Config file of named connections (else LIBSQL_SHELL_CONFIG, else <config dir>/libsql-shell/config.toml)'
            cand --color 'When to colour error messages (auto: on a terminal, unless NO_COLOR is set)'
            cand --no-transaction 'Run in autocommit instead of one transaction (statements are still grouped)'
            cand --header 'Print column names (default: on for table, box, markdown, column, csv, tsv; off for list)'
            cand --no-header 'Do not print column names'
            cand --csv 'Same as -m csv, without a header line unless --header'
            cand --json 'Same as -m json'
            cand --line 'Same as -m line'
            cand --list 'Same as -m list'
            cand --box 'Same as -m box'
            cand --markdown 'Same as -m markdown'
            cand --table 'Same as -m table'
            cand --quote 'Same as -m quote'
            cand --html 'Same as -m html'
            cand --tabs 'Same as -m tabs'
            cand --ascii 'Same as -m ascii'
            cand --column 'Same as -m column, without a header line unless --header'
            cand --readonly 'Open a local database read-only (sqlite3''s -readonly). A remote database is read-only with a read-only token'
            cand --local 'Treat DB as a local file name even if it looks like a host name'
            cand --remote 'Treat a bare DB name as a remote host (HTTPS)'
            cand -v 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time'
            cand --trace 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'libsql-shell;migrate'= {
            cand --dir 'Directory holding the migrations (see the layouts below)'
            cand --format 'Whose migrations DIR holds, instead of telling it from the directory (and from the tracking table already in the database): libsql, prisma, drizzle, golang-migrate, sqlx, dbmate, goose'
            cand --to 'Apply pending migrations up to and including this version only'
            cand --schema-file 'After a successful run, write the database''s schema (as `dump --schema-only`) here'
            cand --auth-token 'Auth token for remote databases (else LIBSQL_AUTH_TOKEN, else TURSO_AUTH_TOKEN)'
            cand --namespace 'The database on a multi-tenant sqld, sent as `x-namespace` on every request (else LIBSQL_NAMESPACE, else a named connection''s `namespace`)'
            cand --encryption-key 'Encryption key of an encrypted Turso database, sent as `x-turso-encryption-key` on every request (else LIBSQL_ENCRYPTION_KEY, else TURSO_DB_REMOTE_ENCRYPTION_KEY, else a named connection''s `encryption_key_env`)'
            cand --timeout 'Remote request timeout in seconds'
            cand --init-command 'Local: SQL to run right after opening the database'
            cand --transaction-mode 'Local: how a plain BEGIN is issued'
            cand --config 'Config file of named connections (else LIBSQL_SHELL_CONFIG, else <config dir>/libsql-shell/config.toml)'
            cand --color 'When to colour error messages (auto: on a terminal, unless NO_COLOR is set)'
            cand --dry-run 'Print the SQL that would run instead of running it'
            cand --single-transaction 'Apply every pending migration in ONE transaction (all or nothing)'
            cand --allow-out-of-order 'Apply pending migrations older than the newest applied one instead of refusing'
            cand --readonly 'Open a local database read-only (sqlite3''s -readonly). A remote database is read-only with a read-only token'
            cand --local 'Treat DB as a local file name even if it looks like a host name'
            cand --remote 'Treat a bare DB name as a remote host (HTTPS)'
            cand -v 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time'
            cand --trace 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand up 'Apply pending migrations in order, each in its own transaction, all in one request (the default)'
            cand status 'Show every migration: applied, pending, changed (edited after applying), missing, or failed (recorded as failed half-way by its tool)'
            cand check 'Exit 1 when any migration is pending, changed, missing or failed (a CI gate); 0 otherwise'
            cand new 'Create the next migration file (never overwrites)'
            cand down 'Revert the newest applied migrations with their down sections (or .down.sql files)'
            cand plan 'Print the exact SQL `up` would send, per migration (same as `up --dry-run`)'
            cand baseline 'Record migrations up to VERSION as applied without running them'
            cand restamp 'Accept the new checksum of an applied migration whose file was edited'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'libsql-shell;migrate;up'= {
            cand --to 'Apply pending migrations up to and including this version only'
            cand --schema-file 'After a successful run, write the database''s schema (as `dump --schema-only`) here'
            cand --dir 'Directory holding the migrations (see the layouts below)'
            cand --format 'Whose migrations DIR holds, instead of telling it from the directory (and from the tracking table already in the database): libsql, prisma, drizzle, golang-migrate, sqlx, dbmate, goose'
            cand --auth-token 'Auth token for remote databases (else LIBSQL_AUTH_TOKEN, else TURSO_AUTH_TOKEN)'
            cand --namespace 'The database on a multi-tenant sqld, sent as `x-namespace` on every request (else LIBSQL_NAMESPACE, else a named connection''s `namespace`)'
            cand --encryption-key 'Encryption key of an encrypted Turso database, sent as `x-turso-encryption-key` on every request (else LIBSQL_ENCRYPTION_KEY, else TURSO_DB_REMOTE_ENCRYPTION_KEY, else a named connection''s `encryption_key_env`)'
            cand --timeout 'Remote request timeout in seconds'
            cand --init-command 'Local: SQL to run right after opening the database'
            cand --transaction-mode 'Local: how a plain BEGIN is issued'
            cand --config 'Config file of named connections (else LIBSQL_SHELL_CONFIG, else <config dir>/libsql-shell/config.toml)'
            cand --color 'When to colour error messages (auto: on a terminal, unless NO_COLOR is set)'
            cand --dry-run 'Print the SQL that would run instead of running it'
            cand --single-transaction 'Apply every pending migration in ONE transaction (all or nothing)'
            cand --allow-out-of-order 'Apply pending migrations older than the newest applied one instead of refusing'
            cand --readonly 'Open a local database read-only (sqlite3''s -readonly). A remote database is read-only with a read-only token'
            cand --local 'Treat DB as a local file name even if it looks like a host name'
            cand --remote 'Treat a bare DB name as a remote host (HTTPS)'
            cand -v 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time'
            cand --trace 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'libsql-shell;migrate;status'= {
            cand --dir 'Directory holding the migrations (see the layouts below)'
            cand --format 'Whose migrations DIR holds, instead of telling it from the directory (and from the tracking table already in the database): libsql, prisma, drizzle, golang-migrate, sqlx, dbmate, goose'
            cand --auth-token 'Auth token for remote databases (else LIBSQL_AUTH_TOKEN, else TURSO_AUTH_TOKEN)'
            cand --namespace 'The database on a multi-tenant sqld, sent as `x-namespace` on every request (else LIBSQL_NAMESPACE, else a named connection''s `namespace`)'
            cand --encryption-key 'Encryption key of an encrypted Turso database, sent as `x-turso-encryption-key` on every request (else LIBSQL_ENCRYPTION_KEY, else TURSO_DB_REMOTE_ENCRYPTION_KEY, else a named connection''s `encryption_key_env`)'
            cand --timeout 'Remote request timeout in seconds'
            cand --init-command 'Local: SQL to run right after opening the database'
            cand --transaction-mode 'Local: how a plain BEGIN is issued'
            cand --config 'Config file of named connections (else LIBSQL_SHELL_CONFIG, else <config dir>/libsql-shell/config.toml)'
            cand --color 'When to colour error messages (auto: on a terminal, unless NO_COLOR is set)'
            cand --json 'Print the status as JSON (one object per migration)'
            cand --exit-code 'Exit 1 when anything is pending, changed or missing'
            cand --readonly 'Open a local database read-only (sqlite3''s -readonly). A remote database is read-only with a read-only token'
            cand --local 'Treat DB as a local file name even if it looks like a host name'
            cand --remote 'Treat a bare DB name as a remote host (HTTPS)'
            cand -v 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time'
            cand --trace 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'libsql-shell;migrate;check'= {
            cand --dir 'Directory holding the migrations (see the layouts below)'
            cand --format 'Whose migrations DIR holds, instead of telling it from the directory (and from the tracking table already in the database): libsql, prisma, drizzle, golang-migrate, sqlx, dbmate, goose'
            cand --auth-token 'Auth token for remote databases (else LIBSQL_AUTH_TOKEN, else TURSO_AUTH_TOKEN)'
            cand --namespace 'The database on a multi-tenant sqld, sent as `x-namespace` on every request (else LIBSQL_NAMESPACE, else a named connection''s `namespace`)'
            cand --encryption-key 'Encryption key of an encrypted Turso database, sent as `x-turso-encryption-key` on every request (else LIBSQL_ENCRYPTION_KEY, else TURSO_DB_REMOTE_ENCRYPTION_KEY, else a named connection''s `encryption_key_env`)'
            cand --timeout 'Remote request timeout in seconds'
            cand --init-command 'Local: SQL to run right after opening the database'
            cand --transaction-mode 'Local: how a plain BEGIN is issued'
            cand --config 'Config file of named connections (else LIBSQL_SHELL_CONFIG, else <config dir>/libsql-shell/config.toml)'
            cand --color 'When to colour error messages (auto: on a terminal, unless NO_COLOR is set)'
            cand --readonly 'Open a local database read-only (sqlite3''s -readonly). A remote database is read-only with a read-only token'
            cand --local 'Treat DB as a local file name even if it looks like a host name'
            cand --remote 'Treat a bare DB name as a remote host (HTTPS)'
            cand -v 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time'
            cand --trace 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'libsql-shell;migrate;new'= {
            cand --dir 'Directory holding the migrations (see the layouts below)'
            cand --format 'Whose migrations DIR holds, instead of telling it from the directory (and from the tracking table already in the database): libsql, prisma, drizzle, golang-migrate, sqlx, dbmate, goose'
            cand --auth-token 'Auth token for remote databases (else LIBSQL_AUTH_TOKEN, else TURSO_AUTH_TOKEN)'
            cand --namespace 'The database on a multi-tenant sqld, sent as `x-namespace` on every request (else LIBSQL_NAMESPACE, else a named connection''s `namespace`)'
            cand --encryption-key 'Encryption key of an encrypted Turso database, sent as `x-turso-encryption-key` on every request (else LIBSQL_ENCRYPTION_KEY, else TURSO_DB_REMOTE_ENCRYPTION_KEY, else a named connection''s `encryption_key_env`)'
            cand --timeout 'Remote request timeout in seconds'
            cand --init-command 'Local: SQL to run right after opening the database'
            cand --transaction-mode 'Local: how a plain BEGIN is issued'
            cand --config 'Config file of named connections (else LIBSQL_SHELL_CONFIG, else <config dir>/libsql-shell/config.toml)'
            cand --color 'When to colour error messages (auto: on a terminal, unless NO_COLOR is set)'
            cand --timestamp 'Use a UTC timestamp (YYYYMMDDHHMMSS) as the version even if the files are numbered'
            cand --readonly 'Open a local database read-only (sqlite3''s -readonly). A remote database is read-only with a read-only token'
            cand --local 'Treat DB as a local file name even if it looks like a host name'
            cand --remote 'Treat a bare DB name as a remote host (HTTPS)'
            cand -v 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time'
            cand --trace 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'libsql-shell;migrate;down'= {
            cand --steps 'How many migrations to revert, newest first'
            cand --dir 'Directory holding the migrations (see the layouts below)'
            cand --format 'Whose migrations DIR holds, instead of telling it from the directory (and from the tracking table already in the database): libsql, prisma, drizzle, golang-migrate, sqlx, dbmate, goose'
            cand --auth-token 'Auth token for remote databases (else LIBSQL_AUTH_TOKEN, else TURSO_AUTH_TOKEN)'
            cand --namespace 'The database on a multi-tenant sqld, sent as `x-namespace` on every request (else LIBSQL_NAMESPACE, else a named connection''s `namespace`)'
            cand --encryption-key 'Encryption key of an encrypted Turso database, sent as `x-turso-encryption-key` on every request (else LIBSQL_ENCRYPTION_KEY, else TURSO_DB_REMOTE_ENCRYPTION_KEY, else a named connection''s `encryption_key_env`)'
            cand --timeout 'Remote request timeout in seconds'
            cand --init-command 'Local: SQL to run right after opening the database'
            cand --transaction-mode 'Local: how a plain BEGIN is issued'
            cand --config 'Config file of named connections (else LIBSQL_SHELL_CONFIG, else <config dir>/libsql-shell/config.toml)'
            cand --color 'When to colour error messages (auto: on a terminal, unless NO_COLOR is set)'
            cand --readonly 'Open a local database read-only (sqlite3''s -readonly). A remote database is read-only with a read-only token'
            cand --local 'Treat DB as a local file name even if it looks like a host name'
            cand --remote 'Treat a bare DB name as a remote host (HTTPS)'
            cand -v 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time'
            cand --trace 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'libsql-shell;migrate;plan'= {
            cand --to 'Apply pending migrations up to and including this version only'
            cand --schema-file 'After a successful run, write the database''s schema (as `dump --schema-only`) here'
            cand --dir 'Directory holding the migrations (see the layouts below)'
            cand --format 'Whose migrations DIR holds, instead of telling it from the directory (and from the tracking table already in the database): libsql, prisma, drizzle, golang-migrate, sqlx, dbmate, goose'
            cand --auth-token 'Auth token for remote databases (else LIBSQL_AUTH_TOKEN, else TURSO_AUTH_TOKEN)'
            cand --namespace 'The database on a multi-tenant sqld, sent as `x-namespace` on every request (else LIBSQL_NAMESPACE, else a named connection''s `namespace`)'
            cand --encryption-key 'Encryption key of an encrypted Turso database, sent as `x-turso-encryption-key` on every request (else LIBSQL_ENCRYPTION_KEY, else TURSO_DB_REMOTE_ENCRYPTION_KEY, else a named connection''s `encryption_key_env`)'
            cand --timeout 'Remote request timeout in seconds'
            cand --init-command 'Local: SQL to run right after opening the database'
            cand --transaction-mode 'Local: how a plain BEGIN is issued'
            cand --config 'Config file of named connections (else LIBSQL_SHELL_CONFIG, else <config dir>/libsql-shell/config.toml)'
            cand --color 'When to colour error messages (auto: on a terminal, unless NO_COLOR is set)'
            cand --dry-run 'Print the SQL that would run instead of running it'
            cand --single-transaction 'Apply every pending migration in ONE transaction (all or nothing)'
            cand --allow-out-of-order 'Apply pending migrations older than the newest applied one instead of refusing'
            cand --readonly 'Open a local database read-only (sqlite3''s -readonly). A remote database is read-only with a read-only token'
            cand --local 'Treat DB as a local file name even if it looks like a host name'
            cand --remote 'Treat a bare DB name as a remote host (HTTPS)'
            cand -v 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time'
            cand --trace 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'libsql-shell;migrate;baseline'= {
            cand --dir 'Directory holding the migrations (see the layouts below)'
            cand --format 'Whose migrations DIR holds, instead of telling it from the directory (and from the tracking table already in the database): libsql, prisma, drizzle, golang-migrate, sqlx, dbmate, goose'
            cand --auth-token 'Auth token for remote databases (else LIBSQL_AUTH_TOKEN, else TURSO_AUTH_TOKEN)'
            cand --namespace 'The database on a multi-tenant sqld, sent as `x-namespace` on every request (else LIBSQL_NAMESPACE, else a named connection''s `namespace`)'
            cand --encryption-key 'Encryption key of an encrypted Turso database, sent as `x-turso-encryption-key` on every request (else LIBSQL_ENCRYPTION_KEY, else TURSO_DB_REMOTE_ENCRYPTION_KEY, else a named connection''s `encryption_key_env`)'
            cand --timeout 'Remote request timeout in seconds'
            cand --init-command 'Local: SQL to run right after opening the database'
            cand --transaction-mode 'Local: how a plain BEGIN is issued'
            cand --config 'Config file of named connections (else LIBSQL_SHELL_CONFIG, else <config dir>/libsql-shell/config.toml)'
            cand --color 'When to colour error messages (auto: on a terminal, unless NO_COLOR is set)'
            cand --readonly 'Open a local database read-only (sqlite3''s -readonly). A remote database is read-only with a read-only token'
            cand --local 'Treat DB as a local file name even if it looks like a host name'
            cand --remote 'Treat a bare DB name as a remote host (HTTPS)'
            cand -v 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time'
            cand --trace 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'libsql-shell;migrate;restamp'= {
            cand --dir 'Directory holding the migrations (see the layouts below)'
            cand --format 'Whose migrations DIR holds, instead of telling it from the directory (and from the tracking table already in the database): libsql, prisma, drizzle, golang-migrate, sqlx, dbmate, goose'
            cand --auth-token 'Auth token for remote databases (else LIBSQL_AUTH_TOKEN, else TURSO_AUTH_TOKEN)'
            cand --namespace 'The database on a multi-tenant sqld, sent as `x-namespace` on every request (else LIBSQL_NAMESPACE, else a named connection''s `namespace`)'
            cand --encryption-key 'Encryption key of an encrypted Turso database, sent as `x-turso-encryption-key` on every request (else LIBSQL_ENCRYPTION_KEY, else TURSO_DB_REMOTE_ENCRYPTION_KEY, else a named connection''s `encryption_key_env`)'
            cand --timeout 'Remote request timeout in seconds'
            cand --init-command 'Local: SQL to run right after opening the database'
            cand --transaction-mode 'Local: how a plain BEGIN is issued'
            cand --config 'Config file of named connections (else LIBSQL_SHELL_CONFIG, else <config dir>/libsql-shell/config.toml)'
            cand --color 'When to colour error messages (auto: on a terminal, unless NO_COLOR is set)'
            cand --readonly 'Open a local database read-only (sqlite3''s -readonly). A remote database is read-only with a read-only token'
            cand --local 'Treat DB as a local file name even if it looks like a host name'
            cand --remote 'Treat a bare DB name as a remote host (HTTPS)'
            cand -v 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time'
            cand --trace 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'libsql-shell;migrate;help'= {
            cand up 'Apply pending migrations in order, each in its own transaction, all in one request (the default)'
            cand status 'Show every migration: applied, pending, changed (edited after applying), missing, or failed (recorded as failed half-way by its tool)'
            cand check 'Exit 1 when any migration is pending, changed, missing or failed (a CI gate); 0 otherwise'
            cand new 'Create the next migration file (never overwrites)'
            cand down 'Revert the newest applied migrations with their down sections (or .down.sql files)'
            cand plan 'Print the exact SQL `up` would send, per migration (same as `up --dry-run`)'
            cand baseline 'Record migrations up to VERSION as applied without running them'
            cand restamp 'Accept the new checksum of an applied migration whose file was edited'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'libsql-shell;migrate;help;up'= {
        }
        &'libsql-shell;migrate;help;status'= {
        }
        &'libsql-shell;migrate;help;check'= {
        }
        &'libsql-shell;migrate;help;new'= {
        }
        &'libsql-shell;migrate;help;down'= {
        }
        &'libsql-shell;migrate;help;plan'= {
        }
        &'libsql-shell;migrate;help;baseline'= {
        }
        &'libsql-shell;migrate;help;restamp'= {
        }
        &'libsql-shell;migrate;help;help'= {
        }
        &'libsql-shell;dump'= {
            cand -o 'Write to FILE (replaced only when the dump is complete) instead of stdout'
            cand --output 'Write to FILE (replaced only when the dump is complete) instead of stdout'
            cand --page-rows 'Rows per request instead of the adaptive page size (testing aid)'
            cand --auth-token 'Auth token for remote databases (else LIBSQL_AUTH_TOKEN, else TURSO_AUTH_TOKEN)'
            cand --namespace 'The database on a multi-tenant sqld, sent as `x-namespace` on every request (else LIBSQL_NAMESPACE, else a named connection''s `namespace`)'
            cand --encryption-key 'Encryption key of an encrypted Turso database, sent as `x-turso-encryption-key` on every request (else LIBSQL_ENCRYPTION_KEY, else TURSO_DB_REMOTE_ENCRYPTION_KEY, else a named connection''s `encryption_key_env`)'
            cand --timeout 'Remote request timeout in seconds'
            cand --init-command 'Local: SQL to run right after opening the database'
            cand --transaction-mode 'Local: how a plain BEGIN is issued'
            cand --config 'Config file of named connections (else LIBSQL_SHELL_CONFIG, else <config dir>/libsql-shell/config.toml)'
            cand --color 'When to colour error messages (auto: on a terminal, unless NO_COLOR is set)'
            cand --schema-only 'Only the schema: CREATE statements, no rows'
            cand --data-only 'Only the rows: INSERT statements, no CREATE, no BEGIN/COMMIT'
            cand --readonly 'Open a local database read-only (sqlite3''s -readonly). A remote database is read-only with a read-only token'
            cand --local 'Treat DB as a local file name even if it looks like a host name'
            cand --remote 'Treat a bare DB name as a remote host (HTTPS)'
            cand -v 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time'
            cand --trace 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'libsql-shell;import'= {
            cand --table 'Table to load into; created (columns named by the header row) if missing'
            cand --skip 'Skip N rows before the header row'
            cand --delimiter 'Field separator: one character, or `\t` / `tab`'
            cand --auth-token 'Auth token for remote databases (else LIBSQL_AUTH_TOKEN, else TURSO_AUTH_TOKEN)'
            cand --namespace 'The database on a multi-tenant sqld, sent as `x-namespace` on every request (else LIBSQL_NAMESPACE, else a named connection''s `namespace`)'
            cand --encryption-key 'Encryption key of an encrypted Turso database, sent as `x-turso-encryption-key` on every request (else LIBSQL_ENCRYPTION_KEY, else TURSO_DB_REMOTE_ENCRYPTION_KEY, else a named connection''s `encryption_key_env`)'
            cand --timeout 'Remote request timeout in seconds'
            cand --init-command 'Local: SQL to run right after opening the database'
            cand --transaction-mode 'Local: how a plain BEGIN is issued'
            cand --config 'Config file of named connections (else LIBSQL_SHELL_CONFIG, else <config dir>/libsql-shell/config.toml)'
            cand --color 'When to colour error messages (auto: on a terminal, unless NO_COLOR is set)'
            cand --no-transaction 'Commit as the rows go instead of in one transaction (a failure keeps earlier rows)'
            cand --readonly 'Open a local database read-only (sqlite3''s -readonly). A remote database is read-only with a read-only token'
            cand --local 'Treat DB as a local file name even if it looks like a host name'
            cand --remote 'Treat a bare DB name as a remote host (HTTPS)'
            cand -v 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time'
            cand --trace 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'libsql-shell;config'= {
            cand --auth-token 'Auth token for remote databases (else LIBSQL_AUTH_TOKEN, else TURSO_AUTH_TOKEN)'
            cand --namespace 'The database on a multi-tenant sqld, sent as `x-namespace` on every request (else LIBSQL_NAMESPACE, else a named connection''s `namespace`)'
            cand --encryption-key 'Encryption key of an encrypted Turso database, sent as `x-turso-encryption-key` on every request (else LIBSQL_ENCRYPTION_KEY, else TURSO_DB_REMOTE_ENCRYPTION_KEY, else a named connection''s `encryption_key_env`)'
            cand --timeout 'Remote request timeout in seconds'
            cand --init-command 'Local: SQL to run right after opening the database'
            cand --transaction-mode 'Local: how a plain BEGIN is issued'
            cand --config 'Config file of named connections (else LIBSQL_SHELL_CONFIG, else <config dir>/libsql-shell/config.toml)'
            cand --color 'When to colour error messages (auto: on a terminal, unless NO_COLOR is set)'
            cand --readonly 'Open a local database read-only (sqlite3''s -readonly). A remote database is read-only with a read-only token'
            cand --local 'Treat DB as a local file name even if it looks like a host name'
            cand --remote 'Treat a bare DB name as a remote host (HTTPS)'
            cand -v 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time'
            cand --trace 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand list 'List the named connections (@NAME); tokens are never shown'
            cand path 'Print the path of the config file (which need not exist yet)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'libsql-shell;config;list'= {
            cand --auth-token 'Auth token for remote databases (else LIBSQL_AUTH_TOKEN, else TURSO_AUTH_TOKEN)'
            cand --namespace 'The database on a multi-tenant sqld, sent as `x-namespace` on every request (else LIBSQL_NAMESPACE, else a named connection''s `namespace`)'
            cand --encryption-key 'Encryption key of an encrypted Turso database, sent as `x-turso-encryption-key` on every request (else LIBSQL_ENCRYPTION_KEY, else TURSO_DB_REMOTE_ENCRYPTION_KEY, else a named connection''s `encryption_key_env`)'
            cand --timeout 'Remote request timeout in seconds'
            cand --init-command 'Local: SQL to run right after opening the database'
            cand --transaction-mode 'Local: how a plain BEGIN is issued'
            cand --config 'Config file of named connections (else LIBSQL_SHELL_CONFIG, else <config dir>/libsql-shell/config.toml)'
            cand --color 'When to colour error messages (auto: on a terminal, unless NO_COLOR is set)'
            cand --readonly 'Open a local database read-only (sqlite3''s -readonly). A remote database is read-only with a read-only token'
            cand --local 'Treat DB as a local file name even if it looks like a host name'
            cand --remote 'Treat a bare DB name as a remote host (HTTPS)'
            cand -v 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time'
            cand --trace 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'libsql-shell;config;path'= {
            cand --auth-token 'Auth token for remote databases (else LIBSQL_AUTH_TOKEN, else TURSO_AUTH_TOKEN)'
            cand --namespace 'The database on a multi-tenant sqld, sent as `x-namespace` on every request (else LIBSQL_NAMESPACE, else a named connection''s `namespace`)'
            cand --encryption-key 'Encryption key of an encrypted Turso database, sent as `x-turso-encryption-key` on every request (else LIBSQL_ENCRYPTION_KEY, else TURSO_DB_REMOTE_ENCRYPTION_KEY, else a named connection''s `encryption_key_env`)'
            cand --timeout 'Remote request timeout in seconds'
            cand --init-command 'Local: SQL to run right after opening the database'
            cand --transaction-mode 'Local: how a plain BEGIN is issued'
            cand --config 'Config file of named connections (else LIBSQL_SHELL_CONFIG, else <config dir>/libsql-shell/config.toml)'
            cand --color 'When to colour error messages (auto: on a terminal, unless NO_COLOR is set)'
            cand --readonly 'Open a local database read-only (sqlite3''s -readonly). A remote database is read-only with a read-only token'
            cand --local 'Treat DB as a local file name even if it looks like a host name'
            cand --remote 'Treat a bare DB name as a remote host (HTTPS)'
            cand -v 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time'
            cand --trace 'Print each remote round trip to stderr: endpoint, protocol, statements, bytes, time'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'libsql-shell;config;help'= {
            cand list 'List the named connections (@NAME); tokens are never shown'
            cand path 'Print the path of the config file (which need not exist yet)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'libsql-shell;config;help;list'= {
        }
        &'libsql-shell;config;help;path'= {
        }
        &'libsql-shell;config;help;help'= {
        }
        &'libsql-shell;help'= {
            cand exec 'Run SQL from arguments, files (-f) or stdin, and print the results'
            cand batch 'Run SQL files (or stdin) as ONE atomic transaction, in as few round trips as possible'
            cand migrate 'Apply ordered SQL migrations: each atomic with its tracking row, in one request'
            cand dump 'Write the database as SQL (sqlite3 .dump layout), read from one consistent snapshot'
            cand import 'Load a CSV file into a table (header row = column names), in one transaction'
            cand config 'Named connections (@NAME): list them with tokens redacted, or print the file''s path'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'libsql-shell;help;exec'= {
        }
        &'libsql-shell;help;batch'= {
        }
        &'libsql-shell;help;migrate'= {
            cand up 'Apply pending migrations in order, each in its own transaction, all in one request (the default)'
            cand status 'Show every migration: applied, pending, changed (edited after applying), missing, or failed (recorded as failed half-way by its tool)'
            cand check 'Exit 1 when any migration is pending, changed, missing or failed (a CI gate); 0 otherwise'
            cand new 'Create the next migration file (never overwrites)'
            cand down 'Revert the newest applied migrations with their down sections (or .down.sql files)'
            cand plan 'Print the exact SQL `up` would send, per migration (same as `up --dry-run`)'
            cand baseline 'Record migrations up to VERSION as applied without running them'
            cand restamp 'Accept the new checksum of an applied migration whose file was edited'
        }
        &'libsql-shell;help;migrate;up'= {
        }
        &'libsql-shell;help;migrate;status'= {
        }
        &'libsql-shell;help;migrate;check'= {
        }
        &'libsql-shell;help;migrate;new'= {
        }
        &'libsql-shell;help;migrate;down'= {
        }
        &'libsql-shell;help;migrate;plan'= {
        }
        &'libsql-shell;help;migrate;baseline'= {
        }
        &'libsql-shell;help;migrate;restamp'= {
        }
        &'libsql-shell;help;dump'= {
        }
        &'libsql-shell;help;import'= {
        }
        &'libsql-shell;help;config'= {
            cand list 'List the named connections (@NAME); tokens are never shown'
            cand path 'Print the path of the config file (which need not exist yet)'
        }
        &'libsql-shell;help;config;list'= {
        }
        &'libsql-shell;help;config;path'= {
        }
        &'libsql-shell;help;help'= {
        }
    ]
    $completions[$command]
}
