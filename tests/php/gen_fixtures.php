<?php
/*
 * PHP-reference fixture generator for the `bitrix24_events::form` decoder/encoder.
 *
 * PHP itself is the oracle: every expectation is what parse_str() (and, for tree
 * cases, http_build_query()) produces on the PHP that runs this script.
 * Written and checked against PHP 8.2 (php-cli 8.2.36).
 *
 * Usage:
 *   php tests/php/gen_fixtures.php edge                  > tests/data/php_edge.jsonl
 *   php tests/php/gen_fixtures.php random SEED COUNT     > tests/data/php_random.jsonl
 *     (committed: random 20261203 2000; deterministic for a given SEED via mt_srand(SEED))
 *
 * ini settings: the expectations assume PHP's defaults
 *     max_input_vars = 1000, max_input_nesting_level = 64, arg_separator.input = "&",
 *     filter.default = unsafe_raw (no input filtering).
 * These are PHP_INI_PERDIR, so they cannot be changed with ini_set(). If the running
 * PHP is configured differently, the script re-executes itself ONCE as
 *     php -d max_input_vars=1000 -d max_input_nesting_level=64 \
 *         -d arg_separator.input=& -d filter.default=unsafe_raw gen_fixtures.php ARGS...
 * (you can also run it that way yourself). display_errors is switched off at run time
 * (ini_set): PHP only raises the "nesting level exceeded" warning when display_errors
 * is off, and the generator listens for that warning (see "depth" below).
 *
 * Output: JSONL on stdout, one object per line:
 *   {"name": "...", "body": "<raw body>", "expect": <parse_str result>, "error": null}
 *   - "expect" is json_encode($result, JSON_FORCE_OBJECT|JSON_UNESCAPED_SLASHES|
 *     JSON_UNESCAPED_UNICODE) embedded as a JSON value.
 *   - "body_hex" replaces "body" when the raw body is not valid UTF-8.
 *   - "tree" (tree cases only): the PHP array given to http_build_query(), encoded the
 *     same way as "expect" (empty arrays therefore appear as {}); body == http_build_query(tree).
 *   - instead of a result, "expect": null and "error" is one of:
 *     "pairs": more than 1000 non-empty "&"-segments (PHP keeps the first 1000 and warns;
 *              we refuse). Counted exactly as parse_str splits (strtok on "&": empty
 *              segments are skipped and do not count; segments whose key is dropped, such
 *              as "=x", do count). Cross-checked against PHP's "Input variables exceeded"
 *              warning on the whole body.
 *     "depth": some pair has more than 64 bracket levels (PHP deletes the whole top-level
 *              variable and warns; we refuse). Detection: each non-empty segment is run
 *              through parse_str() ALONE with an error handler installed; the segment is too
 *              deep iff PHP raises "Input variable nesting level exceeded". The generator
 *              also counts levels itself (php_levels() below, a port of PHP's loop: one level
 *              per "[" that PHP starts to parse, i.e. the first "[" plus every "[" that
 *              directly follows a "]"; a trailing unclosed "[" right after a group counts)
 *              and aborts if the count and PHP's warning ever disagree.
 *     "utf8":  Rust strings are UTF-8, so the decoder refuses non-UTF-8 keys/values. Each
 *              non-empty segment is run through parse_str() ALONE; if json_encode() of that
 *              single-pair result fails (invalid UTF-8 in a kept key or value), the whole
 *              body is "utf8", even if a later pair would overwrite that value. Bytes that
 *              PHP drops (junk after "]", text after a NUL, values of dropped keys, ...) do
 *              not count. If every pair alone encodes, the whole-body result must encode
 *              too (asserted).
 *   A case never mixes error kinds (the generator aborts on such a case), so the expected
 *   error does not depend on the order in which a decoder checks things.
 *
 * Raw NUL bytes in a body are not generated: parse_str() stops at the first raw NUL (the
 * rest of the body is ignored) while PHP's $_POST parsing is binary safe there, so PHP has
 * no single answer. ("%00" is fine and heavily covered.)
 */

declare(strict_types=1);

const JFLAGS = JSON_FORCE_OBJECT | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE;
const MAX_PAIRS = 1000;
const MAX_DEPTH = 64;

// ---------------------------------------------------------------------------------------
// ini check / re-exec
// ---------------------------------------------------------------------------------------
function ini_ok(): bool
{
    if (ini_get('max_input_vars') !== '1000') return false;
    if (ini_get('max_input_nesting_level') !== '64') return false;
    if (ini_get('arg_separator.input') !== '&') return false;
    if (extension_loaded('filter')) {
        $f = ini_get('filter.default');
        if ($f !== false && $f !== '' && $f !== 'unsafe_raw') return false;
    }
    return true;
}

if (!ini_ok()) {
    if (getenv('GEN_FIXTURES_REEXEC') === '1') {
        fwrite(STDERR, "gen_fixtures.php: cannot get max_input_vars=1000, max_input_nesting_level=64, arg_separator.input=& even with -d flags\n");
        exit(2);
    }
    $cmd = [PHP_BINARY,
        '-d', 'max_input_vars=1000', '-d', 'max_input_nesting_level=64',
        '-d', 'arg_separator.input=&', '-d', 'filter.default=unsafe_raw',
        __FILE__];
    foreach (array_slice($argv, 1) as $a) $cmd[] = $a;
    putenv('GEN_FIXTURES_REEXEC=1');
    $p = proc_open($cmd, [0 => STDIN, 1 => STDOUT, 2 => STDERR], $pipes);
    if (!is_resource($p)) {
        fwrite(STDERR, "gen_fixtures.php: re-exec failed\n");
        exit(2);
    }
    exit(proc_close($p));
}

error_reporting(E_ALL);
ini_set('display_errors', '0');   // required: PHP emits the nesting warning only then
ini_set('log_errors', '1');       // fatal errors still reach stderr (never stdout)

function fail(string $msg): void
{
    fwrite(STDERR, "gen_fixtures.php: $msg\n");
    exit(1);
}

// ---------------------------------------------------------------------------------------
// PHP oracle helpers
// ---------------------------------------------------------------------------------------

/** parse_str with all warnings captured: [result, [warning messages]] */
function ps(string $s): array
{
    $warnings = [];
    set_error_handler(function (int $no, string $str) use (&$warnings): bool {
        $warnings[] = $str;
        return true;
    });
    $out = [];
    parse_str($s, $out);
    restore_error_handler();
    return [$out, $warnings];
}

function has_warning(array $warnings, string $needle): bool
{
    foreach ($warnings as $w) {
        if (strpos($w, $needle) !== false) return true;
    }
    return false;
}

/** Non-empty "&"-segments, exactly as parse_str's strtok splits (raw NUL excluded up front). */
function segments(string $body): array
{
    return array_values(array_filter(explode('&', $body), fn($s) => $s !== ''));
}

function is_utf8(string $s): bool
{
    return preg_match('//u', $s) === 1;
}

/**
 * Independent count of the bracket levels PHP's php_register_variable_ex() walks for one
 * segment (used only to cross-check PHP's own warning). 0 when the key has no "[" or is dropped.
 */
function php_levels(string $segment): int
{
    $eq = strpos($segment, '=');
    $key = urldecode($eq === false ? $segment : substr($segment, 0, $eq));
    $nul = strpos($key, "\0");
    if ($nul !== false) $key = substr($key, 0, $nul);
    $key = ltrim($key, ' ');
    $ip = strpos($key, '[');
    if ($ip === false || $ip === 0) return 0;   // plain variable, or empty base name (dropped)
    $len = strlen($key);
    $levels = 0;
    while (true) {
        $levels++;                              // PHP: ++nest_level > max -> delete
        $ip++;
        if ($ip < $len && strpos(" \t\n\r\x0B\x0C", $key[$ip]) !== false) $ip++;
        if (!($ip < $len && $key[$ip] === ']')) {
            $close = strpos($key, ']', min($ip, $len));
            if ($close === false) break;        // unclosed "[": rest is not an index
            $ip = $close;
        }
        $ip++;
        if ($ip < $len && $key[$ip] === '[') continue;
        break;
    }
    return $levels;
}

/**
 * Classify a body: returns ['error' => null|'pairs'|'depth'|'utf8', 'expect' => json|null].
 */
function classify(string $body, string $name): array
{
    if (strpos($body, "\0") !== false) fail("$name: raw NUL byte in body is not supported (parse_str and \$_POST disagree)");
    $segs = segments($body);

    [$whole, $wholeWarnings] = ps($body);
    $phpTooMany = has_warning($wholeWarnings, 'Input variables exceeded');
    if ($phpTooMany !== (count($segs) > MAX_PAIRS)) {
        fail("$name: pair count " . count($segs) . " disagrees with PHP's max_input_vars warning");
    }

    $kinds = [];
    foreach ($segs as $i => $seg) {
        [$r, $w] = ps($seg);
        $phpDeep = has_warning($w, 'nesting level exceeded');
        $levels = php_levels($seg);
        if ($phpDeep !== ($levels > MAX_DEPTH)) {
            fail("$name: segment $i: counted $levels levels but PHP says deep=" . var_export($phpDeep, true) . ": " . bin2hex($seg));
        }
        $other = array_filter($w, fn($x) => strpos($x, 'nesting level exceeded') === false);
        if ($other) fail("$name: unexpected PHP warning(s): " . implode(' | ', $other));
        if ($phpDeep) {
            // ambiguous if the deleted pair also carried invalid UTF-8 somewhere
            if (!is_utf8(urldecode($seg))) fail("$name: segment $i is both too deep and non-UTF-8 (ambiguous)");
            $kinds[$i] = 'depth';
        } elseif (json_encode($r, JFLAGS) === false) {
            $kinds[$i] = 'utf8';
        }
        if ($i + 1 >= MAX_PAIRS && count($segs) > MAX_PAIRS) break;
    }

    if (count($segs) > MAX_PAIRS) {
        if ($kinds) fail("$name: more than " . MAX_PAIRS . " pairs AND bad pairs (ambiguous)");
        return ['error' => 'pairs', 'expect' => null];
    }
    $distinct = array_values(array_unique($kinds));
    if (count($distinct) > 1) fail("$name: mixes error kinds " . implode(',', $distinct) . " (ambiguous)");
    if (count($distinct) === 1) return ['error' => $distinct[0], 'expect' => null];

    if ($wholeWarnings) fail("$name: unexpected PHP warning(s) on whole body: " . implode(' | ', $wholeWarnings));
    $j = json_encode($whole, JFLAGS);
    if ($j === false) fail("$name: every pair encodes alone but the whole result does not: " . json_last_error_msg());
    return ['error' => null, 'expect' => $j];
}

/** One JSONL line. $tree: null or the PHP array that produced $body via http_build_query. */
function emit(string $name, string $body, ?array $tree = null): array
{
    $c = classify($body, $name);
    $line = '{"name":' . json_encode($name, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_THROW_ON_ERROR);
    if (is_utf8($body)) {
        $line .= ',"body":' . json_encode($body, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_THROW_ON_ERROR);
    } else {
        $line .= ',"body_hex":"' . bin2hex($body) . '"';
    }
    $line .= ',"expect":' . ($c['expect'] ?? 'null');
    $line .= ',"error":' . ($c['error'] === null ? 'null' : '"' . $c['error'] . '"');
    if ($tree !== null) {
        $t = json_encode($tree, JFLAGS);
        if ($t === false) fail("$name: tree is not JSON-encodable: " . json_last_error_msg());
        if (http_build_query($tree) !== $body) fail("$name: body is not http_build_query(tree)");
        $line .= ',"tree":' . $t;
    }
    $line .= "}\n";
    echo $line;
    return $c;
}

// ---------------------------------------------------------------------------------------
// edge mode
// ---------------------------------------------------------------------------------------

/** The JSON sample of /work/shared/seeds/000_3b8d37a04f205abf.txt (OnSignB2eMemberStatusChanged docs). */
const SEED_JSON_SAMPLE = <<<'JSON'
{
            "event": "ONSIGNB2EMEMBERSTATUSCHANGED",
            "event_handler_id": "1211",
            "data": {
                "memberUid": "2ditmm6vjoolzbygaeua2jltkjb9hgks",
                "documentUid": "R-LK-50JI-3AAK-WS1A",
                "statusCode": "done",
                "statusName": "Signed"
            },
            "ts": "1770374945",
            "auth": {
                "access_token": "s6p6eclrvim6da22ft9ch94ekreb52lv",
                "expires_in": "3600",
                "scope": "sign.b2e",
                "domain": "some-domain.bitrix24.com",
                "server_endpoint": "https://oauth.bitrix.info/rest/",
                "status": "L",
                "client_endpoint": "https://some-domain.bitrix24.com/rest/",
                "member_id": "60133c09d1f5d0fd6d7884a11fad4585",
                "refresh_token": "4s386p3q0tr8dy89xvmt96234v3dljg8",
                "application_token": "81905784dd6e05280c9a2015e0e61e68"
            }
        }
JSON;

function edge_cases(): array
{
    $c = [];   // list of [category, body] or [category, body, tree]
    $add = function (string $cat, string ...$bodies) use (&$c) {
        foreach ($bodies as $b) $c[] = [$cat, $b, null];
    };
    $lv = fn(int $n, string $g = '[x]') => str_repeat($g, $n);

    // --- every example of php-form-semantics.md ---------------------------------------
    $add('doc-table', 'a=1&a=2', 'a[]=1&a[]=2', 'a[]=1&a[5]=2&a[]=3', 'a[-1]=x&a[]=y',
        'a.b=1', 'a b=1', 'a+b=1', 'a[b=1', 'a.b[c.d]=1', '.a=1', 'a]=1', '=1', '[a]=1',
        'a', 'a[b]', 'a=b=c', 'a=%zz', 'a[01]=x&a[1]=y', 'a[][b]=1&a[][b]=2', 'ab[=1&ab[]=2');
    $add('doc-rules', 'a%5Bb%5D=1', 'a[b.c=1', 'a[ b]=1', 'a[[b]]=1', 'a[ ]=1', 'a[%0A]=1',
        'a[  ]=1', 'a[b]c=1', 'a[b][=1', 'a%00b=1', 'a=1&a[b]=2', 'a[b]=2&a=1',
        'a[b][c]=1&a[b]=2', 'a[1]=x&a[0]=y', 'a=%FF',
        'keep=1&a[s]=sib&a' . $lv(65) . '=1&b=2');

    // --- rule 1: separators, empty segments, ";" ----------------------------------------
    $add('split', '', '&', '&&&', '&&a=1&&', 'a=1&&b=2', 'a=1&', '&a=1', '&=&', '=', '==',
        'a=1;b=2', 'a;b=1', 'a[;]=1', ';=1', 'a=1&b=2&a=3', 'A=1&a=2');
    // --- rule 2: "=" handling, empty values, no "=" ---------------------------------------
    $add('value', 'a=', 'a&b', 'a[]', 'a[b]=&a[c]', 'a==', 'a[b]=c=d', 'a=%3D', 'a%3Db=c',
        'a=+', 'a=%2B', 'a=a+b%20c', 'a=%20%20', 'a=' . str_repeat('xyz', 3000),
        'a=1%00b', 'a=%00', 'a[b]=%00%00', "a=1\r\n&\na=2", "a=\t", 'a=%0D%0A',
        'a=~!*\'()', 'a=%7E%21%2A%27%28%29', 'a=http%3A%2F%2Fx.y%2Fz%3Fq%3D1%26r%3D2');
    // --- rule 3: percent-decoding, invalid escapes ---------------------------------------
    $add('escape', 'a=%', 'a=%4', 'a=%4g', 'a=%zz%', 'a=%%41', 'a=100%', 'a=%G0', 'a=%u00e9',
        'a%zz=1', 'a[%zz]=1', '%=1', 'a%=1', 'a%4=1', 'a%', 'a[%]=1', 'a[b%]=1', 'a%2=1',
        '%61%62=%63', '%4a=%4A', 'a%255Bb%255D=1', 'a=%255B', '%2541=1',
        'a=%&b=%4&c=%z&d=1', 'a%&b%4&c%z=1', 'a[%]=1&a[%4]=2&a[%]=3');
    // --- percent-encoded brackets, all case combinations ---------------------------------
    $add('pct-bracket', 'a%5Bb%5D=1', 'a%5bb%5d=1', 'a%5Bb%5d=1', 'a%5bb%5D=1', 'a[b%5D=1',
        'a[b%5d=1', 'a%5Bb]=1', 'a%5bb]=1', 'a%5B%5D=1&a%5b%5d=2&a[]=3', 'a%5B0%5D%5Bx%5D=1',
        '%5Ba%5D=1', '%5ba%5d=1', 'a%5B=1', 'a%5b=1', 'a%5D=1', 'a%5d=1', 'a%5Bb%5D%5Bc=1',
        'a%5B%5D%5B%5D=1', 'a.b%5Bc.d%5D=1');
    // --- rule 4: leading spaces, dropped keys ---------------------------------------------
    $add('lead-drop', '  a=1', '+a=1', '%20a=1', '+%20+a=1', '+++=1', ' =1', ' [a]=1', '%09a=1',
        ' a b=1', ' .a=1', '%C2%A0a=1', '[]=1', '[=1', ']=1', '[a][b]=1', '[a]', '=x&b=2',
        "\na=1", '%0Aa=1');
    // --- rule 5: base-name mangling -------------------------------------------------------
    $add('base-mangle', 'a%20b=1', 'a%2Eb=1', 'a.=1', 'a..b=1', 'a.b.c=1', 'a b.c=1', '%2Ea=1',
        'a.b[c d][e.f]=1', '_a=1&.a=2', 'a_b=1&a.b=2&a+b=3', 'a-b=1', 'a~b=1', 'a*b=1',
        'a%09b=1', 'a%0Bb=1', 'a%26b=1', 'a%3Bb=1', 'this=1&GLOBALS=2&_POST=3&_GET=4');
    // --- rule 5: unmatched "[" -----------------------------------------------------------
    $add('unclosed', 'a[=1', 'a[b c=1', 'a[b[c=1', 'a[ =1', 'a[b.c[d=1', 'a.b[c=1', 'a[b c.d[e=1',
        'a[%0B=1', 'a[%09=1', 'a[', 'a[[=1', 'a[[[=1', 'a[b][c=1', 'a[b][c.d =1', 'a[][=1',
        'a[b][c][=1', 'a[b][=1&a[b][=2', 'a[b]x[c=1', 'a%5Bb=1', 'a[b=1&a_b=2', 'a_b=1&a[b=2',
        'a][=1', 'a[%5B=1', 'a[b=1&a[c]=2');
    // --- rule 6: junk after "]" ----------------------------------------------------------
    $add('trailing', 'a[b]c[d]=1', 'a[b]]=1', 'a[]]=1', 'a[b] =1', 'a[b].c=1', 'a[b]x=1&a[b]y=2',
        'a[b][c]d[e]=1', 'a[]x=1&a[]y=2', 'a[]b[]=1', 'a[b]%5D%5D=1', 'a[b]%20[c]=1');
    // --- rule 6: bracket contents, whitespace appends ------------------------------------
    $add('bracket', 'a[%09]=1', 'a[%0D]=1', 'a[%0B]=1', 'a[%0C]=1', 'a[+]=1', 'a[%20]=1',
        'a[ ]=1&a[%09]=2&a[%0A]=3&a[%0D]=4&a[%0B]=5&a[%0C]=6&a[]=7', 'a[b ]=1', 'a[ %0A]=1',
        'a[%0A ]=1', 'a[%0A%0A]=1', 'a[%0Bb]=1', 'a[%00 ]=1', 'a[[]]=1', 'a[b[c]]=1', 'a[.]=1',
        'a[a.b c]=1', 'a[%3D]=1', 'a[%26]=1', 'a[%2B]=1', 'a[%5D]=1', 'a[%5B]=1', 'a]b=1',
        'a[x]=1&a[x ]=2&a[ x]=3', 'a[ ][ ]=1', 'a[][ ][%0A]=1');
    // --- rule 7: NUL -------------------------------------------------------------------
    $add('nul', 'a%00[b]=1', 'a[b%00c]=1', 'a[%00]=1', '%00a=1', 'a[b]%00=1', 'a[b][%00]=1',
        'a%00=1&a=2', 'a=%00x&b=y%00', '%00=1', 'a[%00b]=1');
    // --- rule 8: integer-like keys, nested (with a following append to reveal the kind) and top-level
    $keys = ['0', '1', '15', '-1', '01', '-0', '1.5', '%201', '+1', '%2B1', '1%20', '00', '-01',
        '1e3', '0x1', '-', '--1', '123', '-123', '9223372036854775807', '9223372036854775808',
        '-9223372036854775808', '-9223372036854775809', '99999999999999999999', '%EF%BC%91'];
    foreach ($keys as $k) {
        $add('intkey', "a[$k]=x&a[]=y", "$k=x");
    }
    $add('intkey', 'a[1]=x&a[01]=y&a[]=z', '0=a&-1=b&01=c&-0=d', '5=x&a[]=y', 'a[5]=x&a[5]=y&a[]=z');
    // --- rule 8: append arithmetic ------------------------------------------------------
    $add('append', 'a[-5]=x&a[]=y', 'a[-5]=x&a[-10]=y&a[]=z', 'a[-1]=x&a[-2]=y&a[]=z',
        'a[3]=x&a[1]=y&a[]=z', 'a[x]=1&a[]=2', 'a[5]=1&a[x]=2&a[]=3', 'a[9223372036854775807]=x&a[]=y',
        'a[9223372036854775806]=x&a[]=y&a[]=z', 'a[9223372036854775807]=x&a[][b]=y&a[c]=z',
        'a[-9223372036854775808]=x&a[]=y', 'a[][]=1&a[][]=2', 'a[0][]=1&a[0][]=2',
        'a[b][]=1&a[b][]=2&a[c][]=3', 'a[]=1&a[]=2&a[0]=3&a[]=4', 'a[2]=x&a[1]=y&a[]=z&a[]=w');
    // --- rule 9/10: last write wins, kind changes, order ---------------------------------
    $add('overwrite', 'a[b]=2&a[b][c]=1', 'a[]=1&a=2', 'a=1&a[]=2', 'a[]=1&a=2&a[]=3',
        'a[5]=1&a=x&a[]=2', 'a[b]=1&a[b][]=2', 'a[b][]=1&a[b]=x', 'a[x]=1&a[y]=2&a[x]=3',
        'a[b][c]=1&a[b][d]=2&a=3&a[e]=4', 'a[b]=1&a[b]=2&a[c]=3', 'a[b][c]=1&a[b][c][d]=2&a[b][c]=3',
        'a=1&b=2&a[x]=3&b[y]=4', 'a[x][y]=1&a[x]=2&a[x][z]=3');
    // --- limits: depth ---------------------------------------------------------------
    $add('depth-ok', 'a' . $lv(64) . '=1', 'a' . $lv(64, '[]') . '=1', 'a' . $lv(63) . '[]=1',
        'a' . $lv(64) . 'x=1', 'a' . $lv(64) . ']=1', 'a' . $lv(64, '%5Bx%5D') . '=1',
        'a.b' . $lv(64) . '=1&c=2', 'a' . $lv(64) . '=1&a' . $lv(64) . '=2', 'a[b' . $lv(63) . '=1', 'a[b' . $lv(64) . '=1',
        'a' . $lv(64) . '%00[x]=1', 'a' . $lv(64, '[ ]') . '=1');
    $add('depth-err', 'a' . $lv(65) . '=1', 'a' . $lv(65, '[]') . '=1', 'a' . $lv(64) . '[]=1',
        'a' . $lv(64) . '[=1', 'a' . $lv(64) . '[x=1', 'a' . $lv(65, '%5Bx%5D') . '=1',
        'a=1&a' . $lv(65) . '=1', '0' . $lv(65) . '=1', 'a' . $lv(100) . '=1',
        'a[b' . $lv(65) . '=1', 'a[s]=1&a' . $lv(65) . '=1&a[t]=2', 'x=1&a' . $lv(65));
    // --- limits: pairs ------------------------------------------------------------------
    $pairs = fn(int $n) => implode('&', array_map(fn($i) => "k$i=$i", range(1, $n)));
    $add('pairs', $pairs(1000), $pairs(1001), $pairs(1000) . '&', '&&' . str_replace('&', '&&', $pairs(1000)) . '&&',
        $pairs(999) . '&=x', $pairs(1000) . '&=x', $pairs(999) . '&[x]=1', str_repeat('a[]=1&', 1000),
        $pairs(1000) . '&a=%FF', $pairs(1000) . '&b' . $lv(65) . '=1');
    // --- unicode -------------------------------------------------------------------------
    $add('unicode', '%C3%A9=%C3%A9', 'é=é', 'a[é]=日本', 'a[%E6%97%A5]=1', '%F0%9F%98%80=%F0%9F%98%80',
        '😀[😀]=😀', 'é.b=1', 'é é=1', 'a[b=é', 'a[b.é=1', '%c3%a9=%c3%a9', 'a[%C3%A9][]=1',
        'a=%E2%80%A8%E2%80%A9', 'a=%EF%BB%BF', 'ß[ẞ]=İ', 'a[%D0%BF%D1%80%D0%B8%D0%B2%D0%B5%D1%82]=%D0%BC%D0%B8%D1%80',
        'a[%F4%8F%BF%BF]=%EF%BF%BF');
    // --- non-UTF-8: errors ---------------------------------------------------------------
    $add('utf8-err', 'a=%C3%28', 'a=%C3', 'a=%ED%A0%80', 'a=%C0%80', 'a=%F4%90%80%80', 'a=%80',
        '%FF=1', 'a[%FF]=1', 'a%C3%28=1', 'a[%C3]=1', 'a=%FF&a=1', 'a[b]=1&a[b]=%FF&a[b]=2',
        'a[%FF=1', 'a[%C3]%A9=1', 'a%C3[%A9]=1', 'a[b][%FF]=1', 'a[]=%FF', 'x=1&a=%FE',
        'a=%00%FF', "a=\xFF", "\xFF=1", "a[\xC3\x28]=1", 'a%FF', 'a[%E6%97]=1',
        // PHP drops this append (next key would overflow); alone, the pair keeps %FF: "utf8"
        'a[9223372036854775807]=x&a[]=%FF');
    // --- non-UTF-8 in bytes PHP drops: no error --------------------------------------------
    $add('utf8-dropped', 'a[b]%FF=1', 'a%00%FF=1', '=%FF', '[%FF]=1', '%00%FF=%FF', 'a[b][%FF=1',
        'a[b]%C3%28[c]=1', 'a[b%00%FF]=1', 'a[]%FF=1', "a[b]\xFF=1", "a%00\xFF=1", "[\xFF]=\xFF",
        '+%00%FF=1', 'a[x]' . $lv(63) . '%FF=1');
    // --- raw bytes that are valid UTF-8 / other raw characters ------------------------------
    $add('raw', "a=1&b=\xC3\xA9", "a b=c d", "a[b c]=d e", "a\tb=1", "a=\x7F", "\x01=\x02",
        "a[\x0B]=1", 'a=#frag', 'a=?q', 'a/b=c/d', 'a"b=\'"', 'a\\b=\\');

    // --- real bodies ---------------------------------------------------------------------
    $add('real', 'event=ONCRMCONTACTADD&event_handler_id=58&data%5BFIELDS%5D%5BID%5D=134806&ts=1727018926&auth%5Baccess_token%5D=be45f...&auth%5Bexpires%5D=1727022526&auth%5Bexpires_in%5D=3600&auth%5Bscope%5D=crm%2Cplacement%2Cuser_brief&auth%5Bdomain%5D=bitrix24-php-sdk-playground.bitrix24.com&auth%5Bserver_endpoint%5D=https%3A%2F%2Foauth.bitrix.info%2Frest%2F&auth%5Bstatus%5D=L&auth%5Bclient_endpoint%5D=https%3A%2F%2Fbitrix24-php-sdk-playground.bitrix24.com%2Frest%2F&auth%5Bmember_id%5D=010b6886ebc205e43ae65000ee00addb&auth%5Buser_id%5D=1&auth%5Bapplication_token%5D=...',
        'event=ONCRMLEADADD&data%5BFIELDS%5D%5BID%5D=365&ts=1545851621&auth%5Bdomain%5D=b24-46hovy.bitrix24.ru&auth%5Bclient_endpoint%5D=https%3A%2F%2Fb24-46hovy.bitrix24.ru%2Frest%2F&auth%5Bserver_endpoint%5D=https%3A%2F%2Foauth.bitrix.info%2Frest%2F&auth%5Bmember_id%5D=1b87798bc2d16c4b7f2a604e0c899a34&auth%5Bapplication_token%5D=o8kfcne3du24sfvoeahh43uf9oygu2x3');

    // --- trees (http_build_query; also checked by the encoder test) -------------------------
    $trees = [];
    $seed = json_decode(SEED_JSON_SAMPLE, true, 512, JSON_THROW_ON_ERROR);
    $trees[] = ['tree-seed', $seed];
    $trees[] = ['tree', ['event' => 'ONAPPINSTALL', 'data' => ['VERSION' => 1, 'ACTIVE' => 'Y', 'INSTALLED' => 'Y', 'LANGUAGE_ID' => 'en'], 'ts' => 1770374945, 'auth' => ['expires_in' => 3600, 'scope' => 'crm,user_brief', 'refresh_token' => null]]];
    $trees[] = ['tree', ['a' => null, 'b' => [], 'c' => ['d' => null, 'e' => []], 'f' => true, 'g' => false, 'h' => 0, 'i' => -7, 'j' => '']];
    $trees[] = ['tree', ['only_null' => null]];
    $trees[] = ['tree', []];
    $trees[] = ['tree', ['l' => ['a', 'b', ['c', 'd']], 'm' => [5 => 'x', 'k' => 'y', 6 => 'z'], 'n' => [-3 => 'neg']]];
    $trees[] = ['tree', ['key with space' => 'value with space', 'a.b' => 'c.d', 'x+y' => 'p+q', '~t' => '~v', 'a&b' => 'c=d', '[br]' => 'k]', 'pct%' => '100%']];
    $trees[] = ['tree', ['u' => ['é' => 'ß', '日本' => '😀', 'ключ' => 'значение'], "ctl\t" => "line\nbreak\r\x00end"]];
    $trees[] = ['tree', [0 => 'zero', 1 => 'one', 10 => 'ten', -1 => 'minus', '05' => 'str', '-0' => 'str', PHP_INT_MAX => 'max', PHP_INT_MIN => 'min', '9223372036854775808' => 'big']];
    $trees[] = ['tree', ['n' => ['int' => PHP_INT_MAX, 'min' => PHP_INT_MIN, 'zero' => 0, 't' => true, 'f' => false]]];
    $trees[] = ['tree', ['a' => ['b' => ['c' => ['d' => ['e' => ['f' => ['g' => 'deep']]]]]]]];
    $trees[] = ['tree', ['' => 'empty key', 'x' => ['' => 'empty inner']]];
    $trees[] = ['tree', ['specials' => " !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"]];
    foreach ($trees as [$cat, $t]) $c[] = [$cat, http_build_query($t), $t];

    return $c;
}

function mode_edge(): void
{
    $counts = [];
    $seen = [];
    foreach (edge_cases() as $i => [$cat, $body, $tree]) {
        $counts[$cat] = ($counts[$cat] ?? 0) + 1;
        $name = sprintf('edge/%s/%03d', $cat, $counts[$cat]);
        $key = $cat . "\0" . $body . "\0" . ($tree === null ? '' : json_encode($tree, JFLAGS));
        if (isset($seen[$key])) fail("duplicate edge case in $cat: " . bin2hex($body));
        $seen[$key] = true;
        emit($name, $body, $tree);
    }
}

// ---------------------------------------------------------------------------------------
// random mode
// ---------------------------------------------------------------------------------------

function pick(array $a)
{
    return $a[mt_rand(0, count($a) - 1)];
}

/** Weighted token alphabet for hostile bodies. */
function hostile_alphabet(): array
{
    $w = [
        '[' => 8, ']' => 8, '%5B' => 4, '%5D' => 4, '%5b' => 3, '%5d' => 3, '.' => 3, '+' => 3,
        '&' => 5, '=' => 5, '_' => 2, 'a' => 6, 'b' => 4, 'c' => 3, '0' => 3, '1' => 3, '5' => 2,
        '-' => 3, ' ' => 3, '%20' => 2, '%00' => 3, '%FF' => 3, '%C3%A9' => 2, 'é' => 2, ';' => 1,
        '~' => 1, '%zz' => 2, '%' => 2, '%4' => 1, '%0A' => 1, '%09' => 1, '%0B' => 1, '%2E' => 1,
        '%3D' => 1, '%26' => 1, '%2B' => 1, '%C3' => 1, '%A9' => 1, "\xFF" => 1,
        '9223372036854775807' => 1, '9223372036854775808' => 1, '[]' => 3, '][' => 2,
    ];
    $out = [];
    foreach ($w as $tok => $n) for ($i = 0; $i < $n; $i++) $out[] = (string)$tok;
    return $out;
}

function tokens_upto(array $alpha, int $maxLen): string
{
    $s = '';
    while (true) {
        $t = pick($alpha);
        if (strlen($s) + strlen($t) > $maxLen) return $s;
        $s .= $t;
    }
}

/** family (a): hostile body of length 0..80 */
function hostile_body(): string
{
    static $alpha = null;
    $alpha ??= hostile_alphabet();
    $len = mt_rand(0, 80);
    if (mt_rand(0, 1) === 0) {
        return tokens_upto($alpha, $len);            // token soup
    }
    // pair soup: key-ish pieces with bracket groups, opened/closed with any spelling
    $open = ['[', '[', '[', '%5B', '%5b'];
    $close = [']', ']', ']', '%5D', '%5d', ''];
    $baseAlpha = ['a', 'b', 'c', '0', '1', '-', '.', ' ', '+', '_', '%20', '%00', '%FF', 'é', '%C3%A9', '%2E', '-1', '01'];
    $inAlpha = array_merge($baseAlpha, ['', '', ' ', '%09', '%0A', '%0B', '%0C', '%0D', '[', ']', '%zz', '%', '9223372036854775808']);
    $body = '';
    while (strlen($body) < $len) {
        $k = tokens_upto($baseAlpha, mt_rand(0, 4));
        $groups = mt_rand(0, 4);
        for ($g = 0; $g < $groups; $g++) {
            $k .= pick($open) . tokens_upto($inAlpha, mt_rand(0, 4)) . pick($close);
        }
        if (mt_rand(0, 5) === 0) $k .= tokens_upto($alpha, 3);   // junk
        $pair = $k;
        if (mt_rand(0, 6) !== 0) $pair .= '=' . tokens_upto($alpha, mt_rand(0, 8));
        $sep = pick(['&', '&', '&', '&&', ';']);
        if (strlen($body) + strlen($pair) + strlen($sep) > 80) break;
        $body .= $pair . $sep;
    }
    if (mt_rand(0, 1) === 0) $body = rtrim($body, '&;');
    return $body;
}

function tree_key()
{
    static $pool = ['a', 'b', 'c', 'ID', 'FIELDS', 'data', 'auth', 'event', 'key with space', ' lead',
        'trail ', 'a.b', '.', 'x[y]', '[', ']', '[]', 'a]', '][', '&', '=', 'a&b=c', '+', 'a+b', '%',
        '%41', '%5B', '~', 'é', '日本', '😀', 'Ünïcödé', '', ' ', '0', '1', '5', '-1', '05', '-0',
        '1.5', ' 1', '+1', '9223372036854775807', '9223372036854775808', '-9223372036854775808',
        "nul\0key", "tab\tkey", "new\nline", 'semi;colon', 'UPPER', '_', "quote'\"", 'slash/\\'];
    $r = mt_rand(0, 9);
    if ($r < 2) return mt_rand(-3, 20);                                  // int key
    if ($r < 3) return (string)pick($pool) . (string)pick($pool);        // combination
    return pick($pool);
}

function tree_string(): string
{
    static $pool = ['', ' ', 'x', 'hello world', 'ONCRMLEADADD', 'done', 'Signed', 'é', 'ß',
        '日本語', '😀', 'a&b=c', '1+1=2', '100%', '%41', '%zz', '[x]', 'a[b]c', '~tilde', "line\nbreak",
        "cr\r\nlf", "tab\tx", "nul\0byte", 'https://oauth.bitrix.info/rest/', 'crm,placement,user_brief',
        '"quoted"', "it's", '<>', '#', '?', ';', '\\', '/', "\u{2028}", "\u{FEFF}", '0', '-1', '01'];
    $chars = ['a', 'b', 'Z', '0', '9', ' ', '+', '&', '=', '%', '[', ']', '.', '-', '_', '~', '*',
        "'", '(', ')', '!', 'é', 'ж', '中', '😀', "\n", '/', ':', '?', '#'];
    if (mt_rand(0, 2) === 0) return pick($pool);
    $n = mt_rand(0, 12);
    $s = '';
    for ($i = 0; $i < $n; $i++) $s .= pick($chars);
    return $s;
}

function tree_leaf()
{
    $r = mt_rand(0, 99);
    if ($r < 60) return tree_string();
    if ($r < 75) return pick([0, 1, -1, 42, mt_rand(-1000000, 1000000), PHP_INT_MAX, PHP_INT_MIN]);
    if ($r < 85) return mt_rand(0, 1) === 1;
    if ($r < 93) return null;
    return [];
}

/** family (b): random nested PHP tree, depth <= 6, <= $maxLeaves leaves */
function gen_tree(int $depth, int &$leaves, int $maxLeaves): array
{
    $n = $depth === 1 ? mt_rand(1, 8) : mt_rand(0, 6);
    $listy = mt_rand(0, 3) === 0;
    $arr = [];
    for ($i = 0; $i < $n && $leaves < $maxLeaves; $i++) {
        $k = $listy ? $i : tree_key();
        if ($depth < 6 && mt_rand(0, 2) === 0) {
            $arr[$k] = gen_tree($depth + 1, $leaves, $maxLeaves);
        } else {
            $arr[$k] = tree_leaf();
            $leaves++;
        }
    }
    return $arr;
}

function mode_random(int $seed, int $count): void
{
    mt_srand($seed);
    for ($i = 0; $i < $count; $i++) {
        if (mt_rand(0, 1) === 0) {
            emit(sprintf('random/%d/%04d/hostile', $seed, $i), hostile_body());
        } else {
            $leaves = 0;
            $tree = gen_tree(1, $leaves, mt_rand(0, 2) === 0 ? mt_rand(1, 40) : mt_rand(1, 12));
            emit(sprintf('random/%d/%04d/tree', $seed, $i), http_build_query($tree), $tree);
        }
    }
}

// ---------------------------------------------------------------------------------------
$mode = $argv[1] ?? '';
if ($mode === 'edge' && $argc === 2) {
    mode_edge();
} elseif ($mode === 'random' && $argc === 4 && preg_match('/^[0-9]+$/D', $argv[2]) && preg_match('/^[0-9]+$/D', $argv[3])) {
    mode_random((int)$argv[2], (int)$argv[3]);
} else {
    fwrite(STDERR, "usage: php gen_fixtures.php edge\n       php gen_fixtures.php random SEED COUNT\n");
    exit(2);
}
