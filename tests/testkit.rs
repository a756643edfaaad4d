//! The test kit against PHP itself: bodies it builds must be byte for byte what PHP's
//! `http_build_query` makes of the same array, and its JSON bodies byte for byte what PHP's
//! `json_encode` makes of what `parse_str` decodes its form bodies into.
//!
//! Cases are generated (a fixed seed, plus one that changes every run and is printed on failure;
//! set `TESTKIT_SEED` to replay one): random events from every builder, random strings (spaces,
//! `+&=%[]`, multi-byte UTF-8, NUL), random keys (integer-like or not), random extra fields of every
//! JSON type at every level. Needs `php` on PATH: without it the comparison is skipped with a
//! notice, unless `CI` is set, where it fails.

use std::io::Write;
use std::process::{Command, Stdio};

use bitrix24_events::testkit::{self, EventBuilder};
use bitrix24_events::{AnyEvent, Array, DocumentStatus, Format, Key, MemberStatus, Value};

/// xorshift64*: small, deterministic, good enough to pick cases.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    fn string(&mut self) -> String {
        const PIECES: &[&str] = &[
            "a", "Z", "0", "9", " ", "  ", ".", "-", "_", "~", "*", "+", "&", "=", "%", "%20", "[", "]", "[]", "/",
            ":", "?", "#", "\"", "'", "\\", "\n", "\r\n", "\t", "é", "Ж", "€", "😀", "\u{0}", ",", ";", "@", "!", "$",
            "(", ")", "{", "}", "|", "^", "`", "<", ">",
        ];
        let len = self.below(12);
        (0..len).map(|_| *self.pick(PIECES)).collect()
    }

    fn token(&mut self) -> String {
        (0..32).map(|_| *self.pick(&['0', '7', 'a', 'f', 'z', 'K'])).collect()
    }

    fn key(&mut self) -> String {
        match self.below(6) {
            0 => self.below(20).to_string(),
            1 => format!("-{}", self.below(5) + 1),
            2 => format!("0{}", self.below(10)),
            3 => (*self.pick(&["FIELDS", "ID", "memberUid", "a b", "a.b", "x[y]", "é", "9223372036854775807"]))
                .to_owned(),
            _ => self.string(),
        }
    }

    fn value(&mut self, depth: u32) -> Value {
        match self.below(if depth == 0 { 5 } else { 7 }) {
            0 => Value::Null,
            1 => Value::Bool(self.chance(50)),
            2 => Value::Number(match self.below(3) {
                0 => (self.below(100) as i64 - 50).into(),
                1 => self.next().into(),
                _ => (self.next() as i64).into(),
            }),
            3 | 4 => Value::String(self.string()),
            _ => {
                let mut array = Array::new();
                for _ in 0..self.below(4) {
                    if self.chance(30) {
                        array.push(self.value(depth - 1));
                    } else {
                        array.insert(Key::from_php(&self.key()), self.value(depth - 1));
                    }
                }
                Value::Array(array)
            }
        }
    }

    fn event(&mut self) -> EventBuilder {
        let member = self
            .pick(&[
                MemberStatus::Wait,
                MemberStatus::Ready,
                MemberStatus::Done,
                MemberStatus::Refused,
                MemberStatus::Stopped,
                MemberStatus::Undefined,
            ])
            .clone();
        let mut b = match self.below(8) {
            0 => EventBuilder::member_status_changed(member),
            1 => EventBuilder::member_status_changed(MemberStatus::from(self.string())),
            2 => EventBuilder::document_status_changed(
                self.pick(&[DocumentStatus::Signing, DocumentStatus::Done, DocumentStatus::Stopped]).clone(),
            ),
            3 => EventBuilder::hcm_link_document_signed(self.next() >> self.below(64), self.string()),
            4 => EventBuilder::install(),
            5 => EventBuilder::update(),
            6 => EventBuilder::uninstall(),
            _ => EventBuilder::new(self.string()).data_value(self.value(3)),
        };
        if self.chance(70) {
            b = b.member_id(self.string());
        }
        if self.chance(50) {
            b = b.domain(self.string());
        }
        if self.chance(70) {
            b = b.application_token(self.token());
        }
        if self.chance(20) {
            b = b.without_tokens();
        }
        if self.chance(20) {
            b = b.access_token(self.token()).refresh_token(self.string());
        }
        if self.chance(10) {
            b = b.without_application_token();
        }
        if self.chance(20) {
            b = b.without_event_handler_id();
        } else if self.chance(30) {
            b = b.event_handler_id(self.next());
        }
        if self.chance(30) {
            b = b.ts(self.next() >> self.below(64));
        }
        if self.chance(20) {
            b = b.scope(self.string()).user_id(self.below(1000));
        }
        for _ in 0..self.below(4) {
            let top = self.pick(&["data", "auth", "x"]).to_string();
            let (k1, k2) = (self.key(), self.key());
            let path: Vec<&str> = if self.chance(50) { vec![&top, &k1] } else { vec![&top, &k1, &k2] };
            b = b.set(&path, self.value(2));
        }
        if self.chance(10) {
            b = b.remove(&["auth", "member_id"]);
        }
        b
    }
}

/// Runs PHP over `cases` (one `{"tree":..., "form":...}` per line): `http_build_query` of the
/// tree, and `json_encode` of what `parse_str` makes of the form. `None` when there is no `php`.
fn php(cases: &[(Value, String)]) -> Option<Vec<(String, String)>> {
    const SCRIPT: &str = r#"
        while (($line = fgets(STDIN)) !== false) {
            $case = json_decode($line, true, 512, JSON_BIGINT_AS_STRING | JSON_THROW_ON_ERROR);
            parse_str($case['form'], $parsed);
            $flags = JSON_FORCE_OBJECT | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_THROW_ON_ERROR;
            echo json_encode(['q' => http_build_query($case['tree']), 'p' => json_encode($parsed, $flags)], $flags), "\n";
        }
    "#;
    let child = Command::new("php")
        .args(["-d", "max_input_vars=100000", "-d", "display_errors=stderr", "-r", SCRIPT])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if std::env::var_os("CI").is_some() {
                panic!(
                    "`php` is not on PATH, but CI is set: CI must install php-cli to check the test kit against PHP"
                );
            }
            eprintln!(
                "notice: `php` is not on PATH; skipping the comparison of the test kit with PHP's http_build_query"
            );
            return None;
        }
        Err(e) => panic!("cannot run php: {e}"),
    };
    let mut input = String::new();
    for (tree, form) in cases {
        let mut case = Array::new();
        case.insert("tree", tree.clone());
        case.insert("form", Value::from(form.as_str()));
        input.push_str(&serde_json::to_string(&Value::Array(case)).unwrap());
        input.push('\n');
    }
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output().expect("php output");
    writer.join().unwrap().expect("write to php");
    assert!(output.status.success(), "php failed: {}", String::from_utf8_lossy(&output.stderr));
    let lines: Vec<(String, String)> = String::from_utf8(output.stdout)
        .expect("php writes UTF-8")
        .lines()
        .map(|line| {
            let Value::Array(mut answer) = serde_json::from_str::<Value>(line).expect("php writes JSON") else {
                panic!("php: not an object: {line}")
            };
            let query = answer.remove("q").and_then(|q| q.as_str().map(str::to_owned)).expect("q");
            let parsed = answer.remove("p").and_then(|p| p.as_str().map(str::to_owned)).expect("p");
            (query, parsed)
        })
        .collect();
    assert_eq!(lines.len(), cases.len(), "php answered every case");
    Some(lines)
}

fn seeds() -> Vec<u64> {
    if let Some(seed) = std::env::var("TESTKIT_SEED").ok().and_then(|s| s.parse().ok()) {
        return vec![seed];
    }
    let clock = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(1, |d| d.as_nanos() as u64);
    vec![20_261_203, clock | 1]
}

#[test]
fn bodies_are_byte_equal_to_php() {
    const PER_SEED: usize = 400;
    for seed in seeds() {
        let mut rng = Rng(seed);
        let builders: Vec<EventBuilder> = (0..PER_SEED).map(|_| rng.event()).collect();
        // Each builder's tree, and the typed event decoded from it, re-encoded.
        let mut cases = Vec::new();
        for b in &builders {
            cases.push((b.value(), b.form_body()));
            if let Ok(event) = b.decode::<AnyEvent>() {
                let tree = bitrix24_events::to_value(&event).unwrap();
                cases.push((tree, testkit::form_body(&event).unwrap()));
            }
        }
        let Some(php) = php(&cases) else { return };
        let mut failures = Vec::new();
        for (i, ((tree, ours), (theirs, parsed))) in cases.iter().zip(&php).enumerate() {
            if theirs.is_empty() || !theirs.starts_with("event=") {
                failures.push(format!("case {i}: PHP made an unexpected body: {theirs:?}"));
            }
            if ours != theirs {
                failures.push(format!(
                    "case {i}: http_build_query differs\n tree: {}\n ours: {ours}\n php:  {theirs}",
                    serde_json::to_string(tree).unwrap()
                ));
                continue;
            }
            // What a proxy would forward as JSON is, byte for byte, PHP's JSON of what PHP
            // decodes the form body into.
            let json = testkit::json_body(tree).unwrap();
            if &json != parsed {
                failures.push(format!(
                    "case {i}: JSON body differs from PHP's\n form: {ours}\n ours: {json}\n php:  {parsed}"
                ));
            }
        }
        assert!(
            failures.is_empty(),
            "seed {seed} (replay with TESTKIT_SEED={seed}): {} of {} cases differ from PHP:\n{}",
            failures.len(),
            cases.len(),
            failures.iter().take(10).cloned().collect::<Vec<_>>().join("\n")
        );
        eprintln!("seed {seed}: {} cases byte-equal to PHP", cases.len());
    }
}

#[test]
fn both_encodings_decode_to_the_same_event() {
    let mut rng = Rng(7);
    let mut checked = 0;
    for _ in 0..300 {
        let b = rng.event();
        let Ok(from_form) = b.decode::<AnyEvent>() else { continue };
        let from_json: AnyEvent = bitrix24_events::from_json(b.json_body().as_bytes()).unwrap();
        assert_eq!(from_form, from_json, "{}", b.form_body());
        // A typed event round-trips through the kit unchanged.
        assert_eq!(EventBuilder::from_any(&from_form).build(), from_form);
        checked += 1;
    }
    assert!(checked > 150, "most generated events are valid ({checked})");
}

#[test]
fn builder_defaults_are_a_real_event() {
    let AnyEvent::MemberStatusChanged(event) = EventBuilder::member_status_changed(MemberStatus::Done).build() else {
        panic!("typed")
    };
    assert_eq!(event.event_handler_id, Some(1));
    assert_eq!(event.ts, testkit::DEFAULT_TS);
    assert_eq!(event.data.status_name, "Signed");
    assert_eq!(event.auth.member_id, testkit::DEFAULT_MEMBER_ID);
    assert_eq!(event.auth.domain, testkit::DEFAULT_DOMAIN);
    assert_eq!(event.auth.client_endpoint.as_deref(), Some("https://example.bitrix24.com/rest/"));
    assert_eq!(event.auth.application_token.as_ref().map(|t| t.secret()), Some(testkit::DEFAULT_APPLICATION_TOKEN));
    assert_eq!(event.auth.access_token.as_ref().map(|t| t.secret()), Some(testkit::DEFAULT_ACCESS_TOKEN));
    assert_eq!(event.auth.expires, Some(testkit::DEFAULT_TS + 3600));

    let bare = EventBuilder::member_status_changed(MemberStatus::Ready).without_tokens().build();
    let auth = bare.auth();
    assert!(
        auth.access_token.is_none() && auth.refresh_token.is_none() && auth.expires.is_none() && auth.user_id.is_none()
    );
    assert!(auth.application_token.is_some());

    assert!(matches!(EventBuilder::install().build(), AnyEvent::AppInstall(e) if e.data.version == 1));
    assert!(matches!(EventBuilder::update().build(), AnyEvent::AppUpdate(e) if e.data.previous_version == Some(1)));
    assert!(
        matches!(EventBuilder::uninstall().build(), AnyEvent::AppUninstall(e) if !e.data.clean && e.auth.access_token.is_none())
    );
    assert!(
        matches!(EventBuilder::uninstall().set(&["data", "CLEAN"], "1").build(), AnyEvent::AppUninstall(e) if e.data.clean)
    );
    assert!(matches!(
        EventBuilder::document_status_changed(DocumentStatus::Done).build(),
        AnyEvent::DocumentStatusChanged(_)
    ));
    assert!(
        matches!(EventBuilder::hcm_link_document_signed(7, "ACME").build(), AnyEvent::HcmLinkDocumentSigned(e) if e.data.id == 7)
    );
    assert!(EventBuilder::new("ONCRMLEADADD").set(&["data", "FIELDS", "ID"], "1").build().is_other());
    // Empty data is left out, as http_build_query leaves out empty arrays.
    assert!(!EventBuilder::new("ONCRMLEADADD").form_body().contains("data"));
    // Setting the domain moves the client endpoint along; the order of setters does not matter.
    assert_eq!(
        EventBuilder::install().domain("d.example").member_id("m").form_body(),
        EventBuilder::install().member_id("m").domain("d.example").form_body()
    );
    assert!(
        EventBuilder::install()
            .domain("d.example")
            .form_body()
            .contains("client_endpoint%5D=https%3A%2F%2Fd.example%2Frest%2F")
    );
}

#[test]
fn requests_carry_bitrix24_headers() {
    let builder = EventBuilder::install();
    for format in [Format::Form, Format::Json] {
        let request = builder.request(format);
        assert_eq!(request.method(), http::Method::POST);
        assert_eq!(request.uri().path(), testkit::DEFAULT_PATH);
        assert_eq!(request.headers()[http::header::CONTENT_TYPE], testkit::content_type(format));
        assert_eq!(request.headers()[http::header::CONTENT_LENGTH], request.body().len().to_string().as_str());
        assert_eq!(request.headers()[http::header::USER_AGENT], testkit::USER_AGENT);
        let event = bitrix24_events::decode_request(&request, &bitrix24_events::Decoder::default()).unwrap();
        assert_eq!(event, builder.build());
    }
    let (content_type, body) = testkit::body(&builder.build(), Format::Json).unwrap();
    assert_eq!(content_type, "application/json");
    assert_eq!(body, builder.json_body());
}
