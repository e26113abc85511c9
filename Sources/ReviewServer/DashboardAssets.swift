/// The dashboard's script and stylesheet, served from `/assets/` (no third-party asset, no
/// inline script or style: the Content-Security-Policy allows only these).
enum DashboardAssets {
    /// Signs a decision in the browser: imports the reviewer's key file, or opens their key
    /// export with its passphrase, into WebCrypto (Ed25519, not extractable), checks the revision's bytes against the blob id and SHA-256
    /// the page shows, builds the canonical record exactly as `SignOff.canonicalEncoding`
    /// does (with a retraction's reason and an approval's change note), shows it in the page
    /// before signing, signs it and sends record and signature. The key never leaves the browser.
    static let script = #"""
    "use strict";
    // The reviewer's start page: the dashboard remembers who you are (in this browser only)
    // and opens on what needs your review; "show everything" forgets it.
    (function () {
      const me = document.getElementById("me-form");
      if (!me) return;
      const key = "review-reviewer";
      const chosen = new URLSearchParams(location.search).get("reviewer");
      try {
        if (chosen === null) {
          const remembered = localStorage.getItem(key);
          if (remembered) location.replace("/?reviewer=" + encodeURIComponent(remembered));
        } else if (chosen === "") {
          localStorage.removeItem(key);
        } else {
          localStorage.setItem(key, chosen);
        }
      } catch (e) { /* storage refused: the query parameter still works */ }
    })();
    (function () {
      const forms = ["sign-form", "retract-form"].map((id) => document.getElementById(id)).filter((f) => f);
      if (forms.length === 0) return;
      const csrf = document.querySelector('meta[name="review-csrf"]').content;
      const encoder = new TextEncoder();
      // PKCS #8 wrapping of a raw 32-byte Ed25519 private key (RFC 8410).
      const PKCS8 = [0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20];

      function concat(parts) {
        const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
        let at = 0;
        for (const p of parts) { out.set(p, at); at += p.length; }
        return out;
      }
      function hex(buffer) {
        return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");
      }
      function base64(bytes) {
        let s = "";
        for (const b of new Uint8Array(bytes)) s += String.fromCharCode(b);
        return btoa(s);
      }
      function timestamp(seconds) {
        const d = new Date(seconds * 1000);
        const two = (n) => String(n).padStart(2, "0");
        return String(d.getUTCFullYear()).padStart(4, "0") + "-" + two(d.getUTCMonth() + 1) + "-" + two(d.getUTCDate()) +
          "T" + two(d.getUTCHours()) + ":" + two(d.getUTCMinutes()) + ":" + two(d.getUTCSeconds()) + "Z";
      }
      // SignOff.canonicalEncoding: a version line, then "name length\nvalue\n" per field; a
      // retraction's reason and an approval's change note follow the comment, each only when
      // present (as 'review retract --reason' and 'review approve --change-note' sign them).
      function canonical(record) {
        const parts = [encoder.encode("review-signoff/1\n")];
        const names = ["article", "blob", "sha256", "reviewer", "role", "decision", "timestamp", "comment"];
        if (record.reason !== undefined) names.push("reason");
        if (record.changeNote !== undefined) names.push("change-note");
        for (const name of names) {
          const value = encoder.encode(record[name === "change-note" ? "changeNote" : name]);
          parts.push(encoder.encode(name + " " + value.length + "\n"), value, encoder.encode("\n"));
        }
        return concat(parts);
      }
      function bytes(base64Text) {
        return Uint8Array.from(atob(base64Text), (c) => c.charCodeAt(0));
      }
      // A key export (KeyExport.swift): PBKDF2-SHA-256, then AES-256-GCM bound to the format
      // and the reviewer's id.
      async function openExport(sealed, reviewer, passphrase) {
        if (sealed.format !== "review-key-export/1" || sealed.kdf !== "PBKDF2-SHA-256") {
          throw new Error("not a key export 'review keygen --export' wrote");
        }
        if (sealed.reviewer !== reviewer) throw new Error("this export holds the key of '" + sealed.reviewer + "', not of '" + reviewer + "'");
        if (!passphrase) throw new Error("type the passphrase of the key export");
        const material = await crypto.subtle.importKey("raw", encoder.encode(passphrase), "PBKDF2", false, ["deriveKey"]);
        const aes = await crypto.subtle.deriveKey(
          { name: "PBKDF2", hash: "SHA-256", salt: bytes(sealed.salt), iterations: sealed.iterations },
          material, { name: "AES-GCM", length: 256 }, false, ["decrypt"]);
        try {
          return new Uint8Array(await crypto.subtle.decrypt(
            { name: "AES-GCM", iv: bytes(sealed.iv), additionalData: encoder.encode("review-key-export/1 " + reviewer) },
            aes, bytes(sealed.sealed)));
        } catch (e) {
          throw new Error("the passphrase does not open this key export");
        }
      }
      async function importKey(file, reviewer, passphrase) {
        const text = (await file.text()).trim();
        let seed;
        if (text.startsWith("{")) {
          let sealed;
          try { sealed = JSON.parse(text); } catch (e) { throw new Error("the key export is not JSON"); }
          seed = await openExport(sealed, reviewer, passphrase);
        } else {
          try {
            seed = bytes(text);
          } catch (e) {
            throw new Error("the key file is not base64: choose the file 'review keygen' wrote");
          }
        }
        if (seed.length !== 32) throw new Error("the key file does not hold a 32-byte Ed25519 key: choose the file 'review keygen' wrote");
        const pkcs8 = concat([Uint8Array.from(PKCS8), seed]);
        try {
          return await crypto.subtle.importKey("pkcs8", pkcs8, { name: "Ed25519" }, false, ["sign"]);
        } finally {
          seed.fill(0);
          pkcs8.fill(0);
        }
      }

      for (const form of forms) setUp(form);

      function setUp(form) {
        const result = document.getElementById(form.dataset.result);
        const preview = document.getElementById(form.id.replace("-form", "-preview"));
        function say(text, bad) {
          result.textContent = text;
          result.className = bad ? "refused" : "recorded";
        }
        // The record the form describes, with the page's revision and digest; `sha256` and
        // `timestamp` as given (the fetched bytes' digest and the signing moment when signing).
        function record(sha256, signedAt) {
          const decision = form.dataset.decision || form.querySelector("input[name=decision]:checked").value;
          const out = {
            article: form.dataset.article, blob: form.dataset.blob, sha256: sha256,
            reviewer: form.elements.reviewer.value, role: form.elements.role.value,
            decision: decision, timestamp: timestamp(signedAt), comment: form.elements.comment.value,
          };
          if (decision === "retract") out.reason = form.elements.reason.value;
          const note = form.elements["change-note"];
          if (note && note.value !== "") {
            if (decision !== "approve") throw new Error("a change note goes with an approval only: clear it, or choose Approve");
            out.changeNote = note.value;
          }
          return out;
        }
        // The exact bytes the browser will sign, as text (the timestamp: now; it is the moment
        // the button is pressed when signing).
        function show() {
          if (!preview) return;
          try {
            preview.textContent = new TextDecoder().decode(canonical(record(form.dataset.sha256, Math.floor(Date.now() / 1000))));
          } catch (error) {
            preview.textContent = error.message;
          }
        }
        form.addEventListener("input", show);
        form.addEventListener("change", show);
        show();

        form.addEventListener("submit", async (event) => {
          event.preventDefault();
          const button = form.querySelector("button[type=submit]");
          button.disabled = true;
          try {
            // Sign only the text this page shows: if the article (for a retraction: the revision
            // readers see) moved on since the page was loaded, say so and sign nothing (the
            // server refuses such a record too).
            const checked = await fetch(form.dataset.check, { credentials: "same-origin" });
            if (checked.ok) {
              const answer = await checked.json();
              const field = form.dataset.checkField;
              const now = field ? answer[field] : (answer.article && answer.article.revision);
              if (now && now !== form.dataset.blob) {
                const stale = new Error("this page shows revision " + form.dataset.blob.slice(0, 7) + ", and the article is now at revision " +
                  now.slice(0, 7) + ": it changed after you opened this page, so nothing was signed. ");
                stale.stale = true;
                throw stale;
              }
            }
            if (form.dataset.decision === "retract" && form.elements.reason.value.trim() === "") {
              throw new Error("give the reason: the withdrawn page shows it to readers");
            }
            const note = form.elements["change-note"];
            const decision = form.dataset.decision || form.querySelector("input[name=decision]:checked").value;
            if (note && note.dataset.required && decision === "approve" && note.value.trim() === "") {
              throw new Error("this category requires a change note when the reviewed text changed: say what changed, for readers");
            }
            const unsigned = record(form.dataset.sha256, 0);
            const file = form.elements.key.files[0];
            if (!file) throw new Error("choose your key file first");
            const key = await importKey(file, form.elements.reviewer.value, form.elements.passphrase.value);
            form.elements.key.value = "";
            form.elements.passphrase.value = "";
            const blob = form.dataset.blob;
            const fetched = await fetch("/api/blobs/" + blob, { credentials: "same-origin" });
            if (!fetched.ok) throw new Error("cannot read the revision (" + fetched.status + "): reload the page");
            const content = new Uint8Array(await fetched.arrayBuffer());
            const gitId = hex(await crypto.subtle.digest("SHA-1", concat([encoder.encode("blob " + content.length + "\0"), content])));
            const sha256 = hex(await crypto.subtle.digest("SHA-256", content));
            if (gitId !== blob || sha256 !== form.dataset.sha256) {
              throw new Error("the revision's bytes do not match the revision shown: nothing was signed; reload the page");
            }
            const signed = record(sha256, Math.floor(Date.now() / 1000));
            if (signed.reviewer !== unsigned.reviewer) throw new Error("the form changed while signing: nothing was signed");
            if (preview) preview.textContent = new TextDecoder().decode(canonical(signed));
            signed.signature = base64(await crypto.subtle.sign({ name: "Ed25519" }, key, canonical(signed)));
            const response = await fetch("/api/sign-offs", {
              method: "POST", credentials: "same-origin",
              headers: { "Content-Type": "application/json", "X-Review-CSRF": csrf },
              body: JSON.stringify(signed),
            });
            const answer = await response.json();
            if (!response.ok) throw new Error(answer.error || ("refused (" + response.status + ")"));
            say("Recorded " + answer.path + " in commit " + answer.commit.slice(0, 7) + "; the article is now " + answer.state +
              (signed.decision === "retract" ? ", retracted: the next 'review publish' takes the page down. " : ". "), false);
            const link = document.createElement("a");
            link.href = form.dataset.after;
            link.textContent = "Show the updated article";
            result.appendChild(link);
          } catch (error) {
            say("Not recorded: " + error.message, true);
            if (error.stale || /is now at revision/.test(error.message)) {
              const link = document.createElement("a");
              link.href = form.dataset.after;
              link.textContent = "Reload the article to read the new text and its changes";
              result.appendChild(document.createTextNode(" "));
              result.appendChild(link);
            }
          } finally {
            button.disabled = false;
          }
        });
      }
    })();
    """#

    /// The dashboard's looks. Every page fits a 390 px phone with no horizontal scroll: long
    /// ids and paths wrap, and the data tables become one card per row below 48rem (each cell
    /// names its column, `data-label`).
    static let style = """
    :root { color-scheme: light; --ink: #1a1a1a; --muted: #4a4a4a; --line: #c8c8c8; --accent: #0b57a4; --bad: #a4160b; --good: #11622b; }
    * { box-sizing: border-box; }
    body { margin: 0; font: 16px/1.5 system-ui, sans-serif; color: var(--ink); background: #fff; }
    header { padding: 0.75rem 1.5rem; border-bottom: 1px solid var(--line); }
    nav a { margin-right: 1rem; color: var(--accent); display: inline-block; }
    main { padding: 1rem 1.5rem; max-width: 75rem; }
    a { color: var(--accent); }
    code, .finding, td { overflow-wrap: anywhere; }
    .skip { position: absolute; left: -999px; }
    .skip:focus { left: 1rem; top: 1rem; background: #fff; padding: 0.5rem; }
    .revision { margin: 0.25rem 0 0; color: var(--muted); font-size: 0.9rem; }
    table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1.5rem; }
    caption { text-align: left; font-weight: 600; padding: 0.25rem 0; }
    th, td { text-align: left; vertical-align: top; padding: 0.35rem 0.5rem; border-bottom: 1px solid var(--line); }
    .totals { display: flex; flex-wrap: wrap; gap: 0.75rem; list-style: none; padding: 0; }
    .totals li { border: 1px solid var(--line); padding: 0.5rem 0.75rem; border-radius: 4px; }
    .state, .freshness, .severity { display: inline-block; padding: 0 0.4rem; border-radius: 3px; font-size: 0.85rem; border: 1px solid var(--line); }
    .state-approved, .state-published, .freshness-fresh { color: var(--good); }
    .state-changes-requested, .freshness-overdue, .finding.error .severity { color: var(--bad); }
    .findings { padding-left: 1.25rem; }
    .facts dt, .front-matter dt { font-weight: 600; }
    .facts dd, .front-matter dd { margin: 0 0 0.5rem 0; }
    .desk { display: grid; gap: 0 2rem; }
    .desk > section { min-width: 0; }
    form.sign { border: 1px solid var(--line); padding: 1rem; border-radius: 4px; display: grid; grid-template-columns: minmax(0, 1fr); gap: 0.75rem; max-width: 40rem; }
    form.sign label { display: grid; grid-template-columns: minmax(0, 1fr); gap: 0.25rem; }
    form.sign fieldset { min-inline-size: 0; }
    form.sign fieldset label { display: inline; }
    form.sign select, form.sign textarea, form.sign input[type=file], form.sign input[type=password] { width: 100%; font: inherit; }
    form.filter { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: end; margin-bottom: 1rem; }
    form.filter select, form.filter input { max-width: 100%; font: inherit; }
    button { font: inherit; padding: 0.4rem 1rem; border: 1px solid var(--accent); background: var(--accent); color: #fff; border-radius: 4px; }
    .recorded { color: var(--good); }
    pre.to-sign { white-space: pre-wrap; overflow-wrap: anywhere; border: 1px solid var(--line); padding: 0.5rem; font-size: 0.85rem; margin: 0.25rem 0 0; }
    .refused { color: var(--bad); }
    pre.diff { white-space: pre-wrap; overflow-wrap: anywhere; border: 1px solid var(--line); padding: 1rem; font-size: 0.95rem; }
    ins { background: #d7f5dd; color: #0a3d19; text-decoration: underline; }
    del { background: #fbdcd8; color: #5c0f08; }
    iframe.preview { width: 100%; height: 40rem; border: 1px solid var(--line); }
    tr.overdue td:first-child { color: var(--bad); font-weight: 600; }
    .warning { color: var(--bad); border: 1px solid var(--bad); padding: 0.5rem; }
    .next { padding-left: 1.25rem; }
    .next li { margin: 0 0 0.5rem; }
    .late { color: var(--bad); }
    @media (min-width: 72rem) { .desk { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); } }
    @media (max-width: 48rem) {
      header, main { padding-left: 0.75rem; padding-right: 0.75rem; }
      iframe.preview { height: 32rem; }
      table.stack thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
      table.stack, table.stack caption, table.stack tbody, table.stack tr, table.stack td { display: block; width: auto; }
      table.stack tr { border: 1px solid var(--line); border-radius: 4px; margin: 0 0 0.75rem; padding: 0.4rem 0.6rem; }
      table.stack td { border: 0; padding: 0.1rem 0; }
      table.stack td[data-label]::before { content: attr(data-label) ": "; font-weight: 600; }
      table.counts th, table.counts td { padding: 0.3rem 0.25rem; font-size: 0.9rem; }
      table.counts thead th { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap; vertical-align: bottom; }
    }
    """
}
