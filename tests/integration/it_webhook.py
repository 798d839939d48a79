#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The webhook notifier, end to end: the real `trendd --once` drafts spikes of the bundled US
sample (built-in drafter: the notifier is under test, not the LLM) and POSTs each stored draft
to the /hook endpoint of tests/support/llm_stub.py. `--once` waits for due webhook retries.

  signed       two drafts -> two POSTs; X-Trendd-Signature = sha256=HMAC-SHA256(secret,
               "<X-Trendd-Timestamp>.<raw body>") verified with hmac/hashlib; every body field matches the drafts row;
               notifications rows delivered, attempts 1, http_status 200, delivered_at set
  unsigned     no secret_env: delivered without a signature header
  retry        the hook answers 500, 500, then 200: three POSTs with backoff between them, the
               same body each time; the row says delivered after 3 attempts
  credential   no secret_env: the secret comes from $CREDENTIALS_DIRECTORY/webhook-secret
  slack        a term holding Slack control characters ("<!channel>", "&"): `text` escapes them
               (&lt; &gt; &amp;) so a feed cannot ping a channel or break the message
  retry-after  503 with Retry-After: 3: the next attempt waits at least that long
  review       an OpenAI draft with invented claims: status needs_review, unverified 4, said in text
  down         nothing listens on the webhook port: drafts are written at once (drafting is not
               blocked), the notifications end 'failed' with the error recorded, and
               `trendctl status` shows them (totals.notifications_failed)

`it_webhook.py NAME...` runs only those scenarios.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import socket
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness as h  # noqa: E402
import it_llm as L  # noqa: E402

SECRET = "whsec-trendd-test-7c1e0b"
SECRET_ENV = "TRENDD_TEST_HOOK_SECRET"
BUILTIN = '[drafter]\nkind = "builtin"\n'


def notify_toml(url: str, secret: bool = True) -> str:
    return "[notify]\n" + f"webhook_url = {h.toml_value(url)}\n" + (f'secret_env = "{SECRET_ENV}"\n' if secret else "")


def config(case: L.Case, url: str, secret: bool = True, rules: str = L.RULE_5K,
           feed_file: Path | None = None) -> Path:
    fl = [h.feed("us", "file://" + str(feed_file or h.fixture(L.US_FIXTURE)), geo="US")]
    case.cfg = h.write_config(case.dir / "trendd.toml", fl, rules + "\n" + BUILTIN + "\n" + notify_toml(url, secret),
                              database=case.db_path, drafts_dir=case.drafts_dir)
    return case.cfg


def notifications(case: L.Case) -> list[dict]:
    con = case.con()
    try:
        return h.rows(con, "SELECT * FROM notifications ORDER BY id")
    finally:
        con.close()


def iso_ts(s: str | None) -> float | None:
    if not s:
        return None
    return datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc).timestamp()


def check_payload(c: h.Checker, rec: dict, drafts: dict[int, dict], signed: bool) -> int | None:
    """Checks one logged POST against the drafts rows; returns its draft_id."""
    raw = base64.b64decode(rec["body_b64"])
    c.true((h.header(rec, "Content-Type") or "").startswith("application/json"),
           f"Content-Type {h.header(rec, 'Content-Type')!r}")
    sig = h.header(rec, "X-Trendd-Signature")
    ts = h.header(rec, "X-Trendd-Timestamp") or ""
    c.true(ts.isdigit() and abs(int(ts) - rec["t"]) < 300,
           f"X-Trendd-Timestamp {ts!r} is the send time (unix seconds)")
    if signed:
        want = "sha256=" + hmac.new(SECRET.encode(), ts.encode() + b"." + raw,
                                    hashlib.sha256).hexdigest()
        c.eq(sig, want, "X-Trendd-Signature (HMAC-SHA256 of timestamp.body)")
    else:
        c.eq(sig, None, "X-Trendd-Signature without secret_env")
    p = rec.get("json")
    if not isinstance(p, dict):
        c.add(f"webhook body is not a JSON object: {rec.get('body', '')[:200]!r}")
        return None
    c.eq(p.get("event"), "draft", "event")
    d = drafts.get(p.get("draft_id"))
    if d is None:
        c.add(f"draft_id {p.get('draft_id')!r} names no draft ({sorted(drafts)})")
        return None
    w = f"draft {d['id']}"
    c.eq(p.get("spike_id"), d["spike_id"], f"{w}: spike_id")
    c.true(p.get("term") in (d["term"], d["term_display"]), f"{w}: term {p.get('term')!r}")
    c.eq(p.get("title"), d["title"], f"{w}: title")
    c.eq(p.get("slug"), d["slug"], f"{w}: slug")
    c.eq(p.get("status"), d["status"], f"{w}: status")
    c.eq(p.get("path"), d["path"], f"{w}: path")
    c.eq(p.get("unverified"), len(json.loads(d["unverified"] or "[]")), f"{w}: unverified (a count)")
    text = p.get("text")
    c.true(isinstance(text, str) and text.strip() and "\n" not in text.strip(),
           f"{w}: text is a one-line message: {text!r}")
    if isinstance(text, str):
        c.true(d["title"] in text or d["term"] in text.lower(), f"{w}: text names the draft: {text!r}")
    extra = set(p) - {"event", "text", "draft_id", "spike_id", "term", "title", "slug", "status", "path",
                      "unverified"}
    if extra:
        h.log(f"  note: webhook payload has extra fields {sorted(extra)}")
    return d["id"]


def drafts_by_id(case: L.Case) -> dict[int, dict]:
    con = case.con()
    try:
        return {r["id"]: r for r in h.rows(
            con, "SELECT d.*, t.norm AS term, t.display AS term_display FROM drafts d "
                 "JOIN spikes s ON s.id = d.spike_id JOIN terms t ON t.id = s.term_id")}
    finally:
        con.close()


# ---- scenarios -----------------------------------------------------------------------------------
def sc_signed(work: h.WorkDir) -> None:
    with L.Case(work, "signed", hook_script=[{"status": 200}]) as case:
        config(case, case.stub.hook_url)
        case.once(env={SECRET_ENV: SECRET})
        drafts = drafts_by_id(case)
        h.eq(len(drafts), 2, "signed: drafts (min_traffic 5000 on the US sample)")
        hooks = case.stub.hooks()
        c = h.Checker("signed webhook")
        c.eq(len(hooks), 2, "webhook POSTs")
        c.eq(sorted(r["path"] for r in hooks), ["/hook", "/hook"], "POST paths")
        ids = [check_payload(c, r, drafts, signed=True) for r in hooks]
        c.eq(sorted(i for i in ids if i is not None), sorted(drafts), "one POST per draft")
        rows = notifications(case)
        c.eq(len(rows), 2, "notifications rows")
        for r in rows:
            w = f"notification of draft {r['draft_id']}"
            c.eq(r["status"], "delivered", f"{w}: status")
            c.eq(r["attempts"], 1, f"{w}: attempts")
            c.eq(r["http_status"], 200, f"{w}: http_status")
            c.true(iso_ts(r["delivered_at"]) is not None, f"{w}: delivered_at {r['delivered_at']!r}")
            c.eq(r["last_error"], None, f"{w}: last_error")
        c.true(SECRET not in "".join(cp.stderr for cp in case.runs), "the secret is not logged")
        c.done()
        h.log(f"  signed: ok; text = {hooks[0]['json'].get('text')!r}")


def sc_unsigned(work: h.WorkDir) -> None:
    with L.Case(work, "unsigned", hook_script=[{"status": 204, "body": ""}]) as case:
        config(case, case.stub.hook_url, secret=False, rules=L.RULE_ONE)
        case.once()
        drafts = drafts_by_id(case)
        hooks = case.stub.hooks()
        c = h.Checker("unsigned webhook")
        c.eq(len(hooks), 1, "webhook POSTs")
        for r in hooks:
            check_payload(c, r, drafts, signed=False)
        rows = notifications(case)
        c.eq([(r["status"], r["attempts"], r["http_status"]) for r in rows], [("delivered", 1, 204)],
             "notifications (a 204 is a delivery)")
        c.done()


def sc_retry(work: h.WorkDir) -> None:
    with L.Case(work, "retry", hook_script=[{"status": 500}, {"status": 500}, {"status": 200}]) as case:
        config(case, case.stub.hook_url, rules=L.RULE_ONE)
        case.once(env={SECRET_ENV: SECRET})
        drafts = drafts_by_id(case)
        hooks = case.stub.hooks()
        c = h.Checker("webhook retry")
        c.eq(len(drafts), 1, "drafts")
        c.eq(len(hooks), 3, "webhook POSTs (500, 500, 200)")
        for r in hooks:
            check_payload(c, r, drafts, signed=True)
        c.eq(len({r["body_b64"] for r in hooks}), 1, "the same body on every attempt")
        gaps = [round(b["t"] - a["t"], 2) for a, b in zip(hooks, hooks[1:])]
        c.true(all(g >= 0.5 for g in gaps), f"backoff between attempts: gaps {gaps} s")
        rows = notifications(case)
        c.eq(len(rows), 1, "notifications rows")
        if rows:
            r = rows[0]
            c.eq(r["status"], "delivered", "status")
            c.eq(r["attempts"], 3, "attempts")
            c.eq(r["http_status"], 200, "http_status")
            c.true(iso_ts(r["delivered_at"]) is not None, f"delivered_at {r['delivered_at']!r}")
        c.done()
        h.log(f"  retry: ok; gaps {gaps} s; row {rows[0] if rows else None}")


def sc_credential(work: h.WorkDir) -> None:
    with L.Case(work, "credential", hook_script=[{"status": 200}]) as case:
        config(case, case.stub.hook_url, secret=False, rules=L.RULE_ONE)
        creds = case.dir / "credentials"
        creds.mkdir()
        (creds / "webhook-secret").write_text(SECRET + "\n")
        case.once(env={"CREDENTIALS_DIRECTORY": str(creds)})
        hooks = case.stub.hooks()
        c = h.Checker("secret from the credential")
        c.eq(len(hooks), 1, "webhook POSTs")
        for r in hooks:
            check_payload(c, r, drafts_by_id(case), signed=True)
        c.done()


def sc_slack(work: h.WorkDir) -> None:
    with L.Case(work, "slack", hook_script=[{"status": 200}]) as case:
        xml = h.fixture(L.US_FIXTURE).read_text(encoding="utf-8")
        h.true("<title>renee good</title>" in xml, "slack: the sample holds 'renee good' (test bug)")
        feed = case.dir / "us-slack.xml"
        feed.write_text(xml.replace("<title>renee good</title>",
                                    "<title>renee &lt;!channel&gt; good &amp; co</title>"), encoding="utf-8")
        config(case, case.stub.hook_url, rules=L.RULE_ONE, feed_file=feed)
        case.once(env={SECRET_ENV: SECRET})
        hooks = case.stub.hooks()
        h.eq(len(hooks), 1, "slack: webhook POSTs")
        p = hooks[0]["json"] or {}
        text = p.get("text") or ""
        c = h.Checker("Slack-compatible text")
        c.eq(p.get("term"), "renee <!channel> good & co", "term (plain JSON string, unescaped)")
        c.true("<!channel>" not in text, f"text must not carry a raw Slack control sequence: {text!r}")
        c.true("&lt;!channel&gt;" in text, f"text escapes < and > as &lt; &gt;: {text!r}")
        c.true("&amp; co" in text, f"text escapes & as &amp;: {text!r}")
        c.done()


def sc_retry_after(work: h.WorkDir) -> None:
    """A 503 with Retry-After: 3 waits at least 3 s (the backoff alone would be 1 s)."""
    with L.Case(work, "retry-after", hook_script=[{"status": 503, "retry_after": "3", "align": 0.9},
                                                  {"status": 200}]) as case:
        config(case, case.stub.hook_url, rules=L.RULE_ONE)
        case.once(env={SECRET_ENV: SECRET})
        hooks, replies = case.stub.hooks(), case.stub.hook_replies()
        h.eq(len(hooks), 2, "retry-after: webhook POSTs")
        gap = hooks[1]["t"] - replies[0]["t"]
        h.true(gap >= 3 - 0.05, f"retry-after: the retry came {gap:.2f} s after 'Retry-After: 3' was sent")
        h.eq([(r["status"], r["attempts"]) for r in notifications(case)], [("delivered", 2)], "retry-after: row")


def sc_review(work: h.WorkDir) -> None:
    """An OpenAI draft that needs review is announced as such, with its unverified count."""
    with L.Case(work, "review", [{"status": 200, "content": L.INVENTED}], hook_script=[{"status": 200}]) as case:
        case.config(notify=notify_toml(case.stub.hook_url))
        case.once(env={SECRET_ENV: SECRET})
        drafts = drafts_by_id(case)
        hooks = case.stub.hooks()
        c = h.Checker("needs_review webhook")
        c.eq(len(hooks), 1, "webhook POSTs")
        for r in hooks:
            check_payload(c, r, drafts, signed=True)
            p = r["json"] or {}
            c.eq(p.get("status"), "needs_review", "status")
            c.eq(p.get("unverified"), 4, "unverified count")
            c.true("review" in (p.get("text") or "").lower(), f"text says it needs review: {p.get('text')!r}")
        c.done()


def free_port() -> int:
    """A port nothing listens on (bound, then closed: connections are refused)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def sc_down(work: h.WorkDir) -> None:
    with L.Case(work, "down") as case:
        config(case, f"http://127.0.0.1:{free_port()}/hook")
        t0 = time.time()
        cp = case.once(env={SECRET_ENV: SECRET}, timeout=200)
        drafts = drafts_by_id(case)
        rows = notifications(case)
        c = h.Checker("webhook down")
        c.eq(len(drafts), 2, "drafts written although the webhook is down")
        for d in drafts.values():
            c.true(d["status"] in ("draft", "needs_review"), f"draft {d['id']} status {d['status']!r}")
            c.true(d["path"] and Path(d["path"]).is_file(), f"draft {d['id']} file {d['path']!r}")
            fin = iso_ts(d["finished_at"])
            c.true(fin is not None and fin - t0 <= 10,
                   f"draft {d['id']} finished {None if fin is None else round(fin - t0, 1)} s into the run: "
                   "drafting must not wait for the webhook")
        c.eq(len(rows), 2, "notifications rows")
        for r in rows:
            w = f"notification of draft {r['draft_id']}"
            c.eq(r["status"], "failed", f"{w}: status")
            c.true(r["attempts"] >= 2, f"{w}: retried before giving up (attempts {r['attempts']})")
            c.true(r["last_error"], f"{w}: last_error says why: {r['last_error']!r}")
            c.eq(r["delivered_at"], None, f"{w}: delivered_at")
        c.done()
        h.log(f"  down: run took {cp.duration:.1f} s; rows {[(r['status'], r['attempts'], r['last_error']) for r in rows]}")  # type: ignore[attr-defined]

        st = h.trendctl("--config", case.cfg, "--json", "status")
        try:
            data = json.loads(st.stdout)
        except json.JSONDecodeError:
            h.fail(f"trendctl --json status is not JSON:\n{h.describe(st)}")
        totals = data.get("totals") or {}
        c = h.Checker("trendctl status")
        c.eq(totals.get("notifications_failed"), 2, "totals.notifications_failed")
        c.eq(totals.get("notifications_pending"), 0, "totals.notifications_pending")
        text = h.trendctl("--config", case.cfg, "status")
        c.true("notification" in text.stdout.lower() or "webhook" in text.stdout.lower(),
               f"`trendctl status` (text) says nothing about failed notifications:\n{text.stdout}")
        c.done()


SCENARIOS = {"signed": sc_signed, "unsigned": sc_unsigned, "retry": sc_retry, "credential": sc_credential,
             "slack": sc_slack, "retry-after": sc_retry_after, "review": sc_review, "down": sc_down}


def test(work: h.WorkDir) -> None:
    L.run_scenarios(work, SCENARIOS)


if __name__ == "__main__":
    h.main(test)
