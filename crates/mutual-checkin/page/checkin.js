'use strict';
// The friend's side of a mutual check-in. HPKE (RFC 9180) base mode with
// DHKEM(P-256, HKDF-SHA256), HKDF-SHA256 and AES-128-GCM, done with
// crypto.subtle alone; the codes are the ones mutual-checkin's codec.rs
// reads and writes. The functions a test needs are on
// globalThis.mutualCheckin; the page itself starts only where there is a
// document.
(function () {
  const subtle = globalThis.crypto.subtle;
  const utf8 = new TextEncoder();
  const INFO = utf8.encode('mutual check-in v1');
  const INVITE_PREFIX = 'i1.';
  const REPLY_PREFIX = 'mutual-reply1.';
  const REVEAL_PREFIX = 'mutual-reveal1.';
  const ID_LEN = 8;
  const KEY_LEN = 65;
  const TAG_LEN = 16;

  // ---- bytes -------------------------------------------------------------

  function concat(...parts) {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }

  function i2osp(n, len) {
    const out = new Uint8Array(len);
    for (let i = len - 1; i >= 0; i--) {
      out[i] = n & 0xff;
      n = Math.floor(n / 256);
    }
    return out;
  }

  const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

  function b64uEncode(bytes) {
    let out = '';
    for (let i = 0; i < bytes.length; i += 3) {
      const n = (bytes[i] << 16) | ((bytes[i + 1] || 0) << 8) | (bytes[i + 2] || 0);
      const chars = bytes.length - i >= 3 ? 4 : bytes.length - i + 1;
      for (let j = 0; j < chars; j++) out += B64[(n >> (18 - 6 * j)) & 63];
    }
    return out;
  }

  // Reads base64url without padding; a code cut anywhere decodes as far
  // as it goes (the layout then says it is short). Null for a stray character.
  function b64uDecode(text) {
    const bits = [];
    for (const c of text) {
      const v = B64.indexOf(c);
      if (v < 0) return null;
      bits.push(v);
    }
    const out = new Uint8Array(Math.floor((bits.length * 6) / 8));
    let acc = 0;
    let n = 0;
    let at = 0;
    for (const v of bits) {
      acc = ((acc << 6) | v) & 0xffffff;
      n += 6;
      if (n >= 8) {
        n -= 8;
        if (at < out.length) out[at++] = (acc >> n) & 0xff;
      }
    }
    return out;
  }

  function hex(bytes) {
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  // ---- HPKE --------------------------------------------------------------

  const SUITE_KEM = concat(utf8.encode('KEM'), i2osp(0x0010, 2));
  const SUITE_HPKE = concat(utf8.encode('HPKE'), i2osp(0x0010, 2), i2osp(0x0001, 2), i2osp(0x0001, 2));
  const HPKE_V1 = utf8.encode('HPKE-v1');

  async function hmac(key, data) {
    // HKDF-Extract with no salt uses HashLen zero bytes, which is also what
    // HMAC makes of an empty key.
    const raw = key.length ? key : new Uint8Array(32);
    const k = await subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    return new Uint8Array(await subtle.sign('HMAC', k, data));
  }

  async function expand(prk, info, length) {
    let out = new Uint8Array(0);
    let t = new Uint8Array(0);
    for (let i = 1; out.length < length; i++) {
      t = await hmac(prk, concat(t, info, Uint8Array.of(i)));
      out = concat(out, t);
    }
    return out.slice(0, length);
  }

  function labeledExtract(suite, salt, label, ikm) {
    return hmac(salt, concat(HPKE_V1, suite, utf8.encode(label), ikm));
  }

  function labeledExpand(suite, prk, label, info, length) {
    return expand(prk, concat(i2osp(length, 2), HPKE_V1, suite, utf8.encode(label), info), length);
  }

  async function extractAndExpand(dh, kemContext) {
    const prk = await labeledExtract(SUITE_KEM, new Uint8Array(0), 'eae_prk', dh);
    return labeledExpand(SUITE_KEM, prk, 'shared_secret', kemContext, 32);
  }

  async function keySchedule(sharedSecret, info) {
    const empty = new Uint8Array(0);
    const pskIdHash = await labeledExtract(SUITE_HPKE, empty, 'psk_id_hash', empty);
    const infoHash = await labeledExtract(SUITE_HPKE, empty, 'info_hash', info);
    const context = concat(Uint8Array.of(0), pskIdHash, infoHash);
    const secret = await labeledExtract(SUITE_HPKE, sharedSecret, 'secret', empty);
    return {
      key: await labeledExpand(SUITE_HPKE, secret, 'key', context, 16),
      baseNonce: await labeledExpand(SUITE_HPKE, secret, 'base_nonce', context, 12),
    };
  }

  const ECDH = { name: 'ECDH', namedCurve: 'P-256' };

  function generateKeyPair() {
    return subtle.generateKey(ECDH, true, ['deriveBits']);
  }

  function importPublic(raw) {
    return subtle.importKey('raw', raw, ECDH, true, []);
  }

  async function dh(privateKey, publicRaw) {
    const pub = await importPublic(publicRaw);
    return new Uint8Array(await subtle.deriveBits({ name: 'ECDH', public: pub }, privateKey, 256));
  }

  // Seals `plaintext` to the raw public key `pkR` (65 bytes), binding
  // `aad`. `options.ephemeral` (a key pair) and `options.info` are for tests.
  async function seal(pkR, aad, plaintext, options = {}) {
    const eph = options.ephemeral || (await generateKeyPair());
    const enc = new Uint8Array(await subtle.exportKey('raw', eph.publicKey));
    const shared = await extractAndExpand(await dh(eph.privateKey, pkR), concat(enc, pkR));
    const { key, baseNonce } = await keySchedule(shared, options.info || INFO);
    const aes = await subtle.importKey('raw', key, 'AES-GCM', false, ['encrypt']);
    const ct = await subtle.encrypt({ name: 'AES-GCM', iv: baseNonce, additionalData: aad }, aes, plaintext);
    return { enc, ct: new Uint8Array(ct) };
  }

  // Opens what `seal` made for the key pair (`skR`, a CryptoKey; `pkR`, its
  // raw public key). Rejects when anything differs.
  async function open(skR, pkR, enc, aad, ct, options = {}) {
    const shared = await extractAndExpand(await dh(skR, enc), concat(enc, pkR));
    const { key, baseNonce } = await keySchedule(shared, options.info || INFO);
    const aes = await subtle.importKey('raw', key, 'AES-GCM', false, ['decrypt']);
    const pt = await subtle.decrypt({ name: 'AES-GCM', iv: baseNonce, additionalData: aad }, aes, ct);
    return new Uint8Array(pt);
  }

  // ---- codes -------------------------------------------------------------

  class CodeError extends Error {}

  function body(text, prefix, what) {
    const clean = text.replace(/\s+/g, '');
    if (!clean.startsWith(prefix)) {
      throw new CodeError(`This is not ${what}: it should start with “${prefix}”. Please copy the whole thing again.`);
    }
    const bytes = b64uDecode(clean.slice(prefix.length));
    if (!bytes) throw new CodeError(`This ${what} has a character that cannot be in it. Please copy the whole thing again.`);
    return bytes;
  }

  function short(what) {
    return new CodeError(`This ${what} is cut short. Please copy the whole thing again.`);
  }

  function decodeInvite(text) {
    const b = body(text, INVITE_PREFIX, 'an invitation');
    if (b.length < ID_LEN + KEY_LEN + 4) throw short('invitation');
    const nameLen = b[ID_LEN + KEY_LEN + 3];
    const end = ID_LEN + KEY_LEN + 4 + nameLen;
    if (b.length < end) throw short('invitation');
    if (b.length > end) throw new CodeError('This invitation has something extra at its end. Please copy the whole link again.');
    let name;
    try {
      name = new TextDecoder('utf-8', { fatal: true }).decode(b.slice(ID_LEN + KEY_LEN + 4, end));
    } catch (e) {
      throw new CodeError('This invitation is damaged. Please copy the whole link again.');
    }
    // As mutual cleans names: no control characters or direction marks.
    name = name
      .replace(/\s+/g, ' ')
      .replace(/[\u0000-\u001f\u007f-\u009f\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\u061c\ufeff]/g, '')
      .trim();
    if (!name) throw new CodeError('This invitation is damaged. Please copy the whole link again.');
    return {
      id: b.slice(0, ID_LEN),
      publicKey: b.slice(ID_LEN, ID_LEN + KEY_LEN),
      items: b[ID_LEN + KEY_LEN],
      expiresDay: (b[ID_LEN + KEY_LEN + 1] << 8) | b[ID_LEN + KEY_LEN + 2],
      name,
    };
  }

  // The reply code for `answers` (an object of item ids and answers), and
  // the friend's new key pair for the reveal.
  async function makeReply(invite, answers, options = {}) {
    const pair = options.keyPair || (await generateKeyPair());
    const revealKey = new Uint8Array(await subtle.exportKey('raw', pair.publicKey));
    const plaintext = utf8.encode(JSON.stringify({ v: invite.items, a: answers }));
    const sealed = await seal(invite.publicKey, concat(invite.id, revealKey), plaintext, options);
    const code = REPLY_PREFIX + b64uEncode(concat(invite.id, revealKey, sealed.enc, sealed.ct));
    return { code, keyPair: pair, revealKey };
  }

  function decodeReveal(text) {
    let t = text.trim();
    const hash = t.lastIndexOf('#');
    if (hash >= 0) t = t.slice(hash + 1);
    if (t.startsWith('reveal=')) t = t.slice('reveal='.length);
    const b = body(t, REVEAL_PREFIX, 'a reveal code');
    if (b.length < ID_LEN + KEY_LEN + TAG_LEN + 2) throw short('reveal code');
    return { id: b.slice(0, ID_LEN), enc: b.slice(ID_LEN, ID_LEN + KEY_LEN), ct: b.slice(ID_LEN + KEY_LEN) };
  }

  // Opens a reveal with the friend's private key (a CryptoKey) and raw
  // public key: { v, name, inviter, friend, lines }.
  async function openReveal(reveal, privateKey, publicRaw) {
    const pt = await open(privateKey, publicRaw, reveal.enc, reveal.id, reveal.ct);
    return JSON.parse(new TextDecoder().decode(pt));
  }

  const api = {
    seal,
    open,
    generateKeyPair,
    labeledExtract,
    labeledExpand,
    extractAndExpand,
    keySchedule,
    decodeInvite,
    makeReply,
    decodeReveal,
    openReveal,
    b64uEncode,
    b64uDecode,
    hex,
    CodeError,
  };
  globalThis.mutualCheckin = api;

  if (typeof document === 'undefined') return;

  // ---- the page ----------------------------------------------------------

  const view = document.getElementById('view');
  const status = document.getElementById('status');
  const title = document.getElementById('title');
  const itemSets = JSON.parse(document.getElementById('item-sets').textContent);
  const embedded = JSON.parse(document.getElementById('invite').textContent || 'null');
  const STORE = 'mutual-checkin:';
  const SVG = 'http://www.w3.org/2000/svg';

  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === false || v === null || v === undefined) continue;
      if (k === 'text') el.textContent = v;
      else if (k === 'class') el.className = v;
      else el.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children) if (c) el.append(c);
    return el;
  }

  function say(text, kind) {
    status.textContent = text;
    status.className = kind || '';
  }

  function show(...nodes) {
    view.replaceChildren(...nodes);
    document.getElementById('main').focus();
  }

  function capitalize(s) {
    return s ? s[0].toUpperCase() + s.slice(1) : s;
  }

  function load(id) {
    try {
      return JSON.parse(localStorage.getItem(STORE + hex(id)) || 'null');
    } catch (e) {
      return null;
    }
  }

  function save(id, value) {
    try {
      localStorage.setItem(STORE + hex(id), JSON.stringify(value));
      return true;
    } catch (e) {
      return false;
    }
  }

  function dayToDate(day) {
    return new Date(day * 86400000).toLocaleDateString(undefined, {
      timeZone: 'UTC',
      day: 'numeric',
      month: 'long',
      year: 'numeric',
    });
  }

  function today() {
    const now = new Date();
    return Math.floor(Date.UTC(now.getFullYear(), now.getMonth(), now.getDate()) / 86400000);
  }

  // Two circles, apart at step 1 and almost one at the last step.
  function circles(step, steps) {
    const far = 70;
    const near = 4;
    const sep = far - ((far - near) * (step - 1)) / (steps - 1);
    const svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('viewBox', '0 0 120 50');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    for (const [cls, cx] of [['a', 60 - sep / 2], ['b', 60 + sep / 2]]) {
      const c = document.createElementNS(SVG, 'circle');
      c.setAttribute('class', cls);
      c.setAttribute('cx', String(cx));
      c.setAttribute('cy', '25');
      c.setAttribute('r', '20');
      svg.append(c);
    }
    return svg;
  }

  function renderItem(set, item) {
    const field = h('fieldset', { id: 'item-' + item.id });
    field.append(h('legend', { text: item.prompt }));
    if (item.hint) field.append(h('p', { class: 'hint', id: 'hint-' + item.id, text: item.hint }));
    if (item.hint) field.setAttribute('aria-describedby', 'hint-' + item.id);
    if (item.kind === 'circles' || item.kind === 'scale' || item.kind === 'mirrored') {
      const list = h('div', { class: 'choices' + (item.kind === 'circles' ? ' circles' : '') });
      item.choices.forEach((choice, i) => {
        const input = h('input', {
          type: 'radio',
          name: item.id,
          value: String(i + 1),
          id: `${item.id}-${i + 1}`,
          required: !item.optional,
        });
        const face = h('span', { class: 'face' });
        if (item.kind === 'circles') face.append(circles(i + 1, item.choices.length));
        face.append(h('span', { text: choice.label }));
        list.append(h('label', { class: 'choice', for: input.id }, input, face));
      });
      field.append(list);
    } else if (item.kind === 'kinds') {
      for (const [kind, label] of Object.entries(set.kind_labels)) {
        const input = h('input', { type: 'checkbox', name: item.id, value: kind, id: `${item.id}-${kind}` });
        field.append(h('label', { class: 'check', for: input.id }, input, h('span', { text: capitalize(label) })));
      }
    } else if (item.kind === 'text') {
      field.replaceChildren();
      field.className = 'card';
      const area = h('textarea', { id: 'text-' + item.id, name: item.id, maxlength: String(item.max_chars), rows: '3' });
      field.append(h('label', { class: 'text', for: area.id, text: item.prompt }));
      if (item.hint) field.append(h('p', { class: 'hint', id: 'hint-' + item.id, text: item.hint }));
      if (item.hint) area.setAttribute('aria-describedby', 'hint-' + item.id);
      field.append(area);
    }
    return field;
  }

  function collect(form, set) {
    const answers = {};
    for (const item of set.items) {
      if (item.kind === 'kinds') {
        answers[item.id] = Array.from(form.querySelectorAll(`input[name="${item.id}"]:checked`), (i) => i.value);
      } else if (item.kind === 'text') {
        const text = form.elements[item.id].value.trim();
        if (text) answers[item.id] = text;
      } else {
        const picked = form.querySelector(`input[name="${item.id}"]:checked`);
        if (picked) answers[item.id] = Number(picked.value);
      }
    }
    return answers;
  }

  function copyButton(area) {
    const button = h('button', { type: 'button', text: 'Copy' });
    button.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(area.value);
        say('Copied. Paste it into a chat with your friend.');
      } catch (e) {
        area.select();
        say('Selected: copy it with your keyboard or the menu.');
      }
    });
    return button;
  }

  function shareButton(text, name) {
    if (!navigator.share) return null;
    const button = h('button', { type: 'button', class: 'secondary', text: 'Share…' });
    button.addEventListener('click', async () => {
      try {
        await navigator.share({ text });
      } catch (e) {
        if (e && e.name !== 'AbortError') say(`Sharing did not work here; copy the code and send it to ${name} instead.`);
      }
    });
    return button;
  }

  function showReply(invite, code) {
    title.textContent = `Thank you — your answers for ${invite.name} are sealed`;
    const area = h('textarea', { id: 'reply-code', class: 'code', readonly: true, rows: '9' });
    area.value = code;
    show(
      h('p', { class: 'lead', text: `Send this code back to ${invite.name} in any chat. Only ${invite.name}'s mutual can open it.` }),
      h('label', { class: 'text', for: area.id, text: 'Your reply code' }),
      area,
      h('div', { class: 'actions' }, copyButton(area), shareButton(code, invite.name)),
      h('p', {
        class: 'muted',
        text: `Once ${invite.name} has added their side, they can send you a link to see both sets of answers together. Open it in this same browser: the key that unlocks it stays here.`,
      }),
      revealForm(invite.name),
    );
  }

  // A place to paste the reveal code, for a page opened as a file (whose
  // address is awkward to add a link's ending to).
  function revealForm(name) {
    const field = h('input', {
      type: 'text',
      id: 'reveal-code',
      autocomplete: 'off',
      spellcheck: 'false',
      'aria-describedby': 'reveal-problem',
    });
    // What went wrong shows beside the field, not at the top of a long page.
    const problem = h('p', { id: 'reveal-problem', class: 'warn', role: 'alert' });
    const form = h(
      'form',
      { class: 'reveal' },
      h('label', { class: 'text', for: field.id, text: `Got a reveal code from ${name}? Paste it here` }),
      field,
      problem,
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'secondary', text: 'See both sides' })),
    );
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      problem.textContent = '';
      if (!(await showReveal(field.value.trim()))) {
        problem.textContent = status.textContent;
        say('');
        field.focus();
      }
    });
    return form;
  }

  function showInvite(invite, again) {
    const set = itemSets[invite.items];
    if (!set) {
      title.textContent = `A check-in from ${invite.name}`;
      show(h('p', { text: `This check-in uses questions that this copy of the page does not have yet. Ask ${invite.name} for a fresh link from an up-to-date mutual.` }));
      return;
    }
    if (today() > invite.expiresDay) {
      title.textContent = `A check-in from ${invite.name}`;
      show(
        h('p', { class: 'lead', text: `This invitation was open until ${dayToDate(invite.expiresDay)}, so it no longer takes answers.` }),
        h('p', { text: `If you'd still like to answer, ask ${invite.name} for a fresh link. There is no rush.` }),
      );
      return;
    }
    const stored = load(invite.id);
    if (stored && stored.code && !again) {
      showReply(invite, stored.code);
      const redo = h('button', { type: 'button', class: 'secondary', text: 'Answer again' });
      redo.addEventListener('click', () => showInvite(invite, true));
      view.append(
        h('div', { class: 'actions' }, redo),
        h('p', { class: 'muted', text: `Answering again makes a new code; if you do, send ${invite.name} the new one.` }),
      );
      return;
    }
    title.textContent = `A check-in from ${invite.name}`;
    const form = h('form', { novalidate: false });
    form.append(
      h('p', {
        class: 'lead',
        text: `${invite.name} is asking how our friendship feels from your side. ${invite.name} has answered the same questions; you will see each other's answers only once both of you have answered.`,
      }),
      h('p', { class: 'muted', text: `Open until ${dayToDate(invite.expiresDay)}. The last questions are optional.` }),
    );
    for (const item of set.items) form.append(renderItem(set, item));
    const submit = h('button', { type: 'submit', text: `Seal my answers for ${invite.name}` });
    form.append(h('div', { class: 'actions' }, submit));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      submit.disabled = true;
      say('Sealing your answers…');
      try {
        const answers = collect(form, set);
        const reply = await makeReply(invite, answers);
        const jwk = await subtle.exportKey('jwk', reply.keyPair.privateKey);
        const kept = save(invite.id, {
          key: jwk,
          pub: b64uEncode(reply.revealKey),
          code: reply.code,
          name: invite.name,
          answers,
        });
        say(kept ? '' : 'This browser would not keep your key, so the reveal link will not open here; your reply code still works.');
        showReply(invite, reply.code);
      } catch (e) {
        submit.disabled = false;
        say('Your answers could not be sealed in this browser. Please try a current version of Firefox, Chrome, Safari or Edge.', 'warn');
      }
    });
    show(form);
  }

  // An answer as its person gave it, the way mutual's perspective shows it.
  function answerLabel(set, item, answer) {
    if (answer === undefined || answer === null) return 'Left open';
    if (typeof answer === 'number') return item.choices && item.choices[answer - 1] ? item.choices[answer - 1].label : String(answer);
    if (Array.isArray(answer)) {
      const words = answer.map((k) => set.kind_labels[k] || k);
      if (!words.length) return 'Nothing';
      const last = words.pop();
      return capitalize(words.length ? `${words.join(', ')} and ${last}` : last);
    }
    return String(answer);
  }

  // Both sides, item by item: the friend's answer, mine, and the sentence
  // mutual worded for the friend.
  function showBoth(content) {
    const set = itemSets[content.v];
    title.textContent = `Your check-in with ${content.name}, side by side`;
    const nodes = [h('p', { class: 'lead', text: 'Two perspectives, neither of them the right one. Anything that surprises you is a good thing to talk about together.' })];
    const sentences = new Map(content.sentences || []);
    for (const item of set ? set.items : []) {
      const card = h('section', { class: 'card', 'aria-labelledby': 'both-' + item.id });
      card.append(h('h2', { id: 'both-' + item.id, text: item.prompt }));
      card.append(
        h(
          'div',
          { class: 'sides' },
          h('p', { class: 'side' }, h('span', { class: 'who', text: 'You' }), answerLabel(set, item, (content.friend || {})[item.id])),
          h('p', { class: 'side them' }, h('span', { class: 'who', text: content.name }), answerLabel(set, item, (content.inviter || {})[item.id])),
        ),
      );
      if (sentences.has(item.id)) card.append(h('p', { class: 'sentence', text: sentences.get(item.id) }));
      nodes.push(card);
    }
    show(...nodes);
  }

  async function showReveal(text) {
    let reveal;
    try {
      reveal = decodeReveal(text);
    } catch (e) {
      say(e instanceof CodeError ? e.message : 'This reveal code cannot be read. Please copy the whole link again.', 'warn');
      return false;
    }
    const stored = load(reveal.id);
    if (!stored || !stored.key) {
      say('This reveal opens only in the browser where you answered the check-in. Please open the link there.', 'warn');
      return false;
    }
    try {
      const key = await subtle.importKey('jwk', stored.key, ECDH, false, ['deriveBits']);
      const content = await openReveal(reveal, key, b64uDecode(stored.pub));
      say('');
      showBoth(content);
      return true;
    } catch (e) {
      say('This reveal does not open with the key kept here: it may be for another check-in, or part of it changed on the way. Please copy the whole link again.', 'warn');
      return false;
    }
  }

  function showLanding(message) {
    title.textContent = 'A check-in between friends';
    const field = h('input', { type: 'text', id: 'paste', autocomplete: 'off', spellcheck: 'false' });
    const form = h(
      'form',
      {},
      h('label', { class: 'text', for: field.id, text: 'Paste an invitation link or a reveal code' }),
      field,
      h('div', { class: 'actions' }, h('button', { type: 'submit', text: 'Open' })),
    );
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      await route(field.value);
    });
    show(
      h('p', { class: 'lead', text: message || 'This page opens a check-in a friend sent you. Open the link they sent, or paste it here.' }),
      form,
    );
  }

  async function route(text) {
    const t = (text || '').trim();
    const fragment = t.lastIndexOf('#') >= 0 ? t.slice(t.lastIndexOf('#') + 1) : t;
    if (fragment.startsWith('reveal=') || fragment.startsWith(REVEAL_PREFIX)) return showReveal(fragment);
    if (fragment.startsWith(INVITE_PREFIX)) {
      try {
        showInvite(decodeInvite(fragment), false);
        say('');
      } catch (e) {
        say(e instanceof CodeError ? e.message : 'This invitation cannot be read. Please copy the whole link again.', 'warn');
      }
      return;
    }
    if (t) say('This is neither an invitation link nor a reveal code. Please copy the whole thing your friend sent.', 'warn');
  }

  function start() {
    let fragment = location.hash.slice(1);
    try {
      fragment = decodeURIComponent(fragment);
    } catch (e) {
      // Not percent-encoded after all: read it as it is.
    }
    if (fragment) {
      showLanding();
      route(fragment);
    } else if (embedded) {
      route(embedded);
    } else {
      showLanding();
    }
  }

  window.addEventListener('hashchange', start);
  start();
})();
