// The employer tablet (stand.js): drawing the visitor's card (name, consent, contact
// details, best match, skills) and the optional details (rating, note, vacancy).

import { $, byReg, cards, state, tr, vacancies } from "./stand-context.js";

export function learnCard(card) {
  if (!card) return;
  cards.set(card.registration_id, card);
  const best = card.best_match;
  if (best && !vacancies.has(best.vacancy_id)) {
    vacancies.set(best.vacancy_id, best.title);
    state.store.putMeta("vacancies", [...vacancies]).catch(() => {});
  }
}

export function displayName(reg) {
  const card = cards.get(reg);
  const entry = byReg.get(reg);
  return (card && (card.name || card.first_name)) || (entry && (entry.name || entry.first_name))
    || tr("tablet.card.visitor_n", { id: reg });
}

export function renderVisitor() {
  const section = $("visitor");
  if (!state.current) {
    section.hidden = true;
    section.removeAttribute("data-registration");
    return;
  }
  const reg = state.current.registrationId;
  const card = cards.get(reg) || null;
  const entry = byReg.get(reg) || null;
  section.hidden = false;
  section.dataset.registration = String(reg);
  const first = (card && card.first_name) || (entry && entry.first_name) || null;
  $("visitor-name").textContent = displayName(reg);

  const consented = card ? card.consented : entry ? entry.consented : null;
  const consent = $("visitor-consent");
  consent.hidden = consented === null;
  consent.className = `tablet-consent ${consented ? "tablet-consent--yes" : "tablet-consent--no"}`;
  consent.textContent = consented === null ? ""
    : tr(consented ? "tablet.card.consented" : "tablet.card.private", { name: first || "" });

  // Contact details: only what the server sent, which it sends only with consent.
  const contact = $("visitor-contact");
  contact.replaceChildren();
  const source = card || entry;
  if (consented && source) {
    for (const [key, value] of [["name", source.name], ["email", source.email],
      ["phone", source.phone]]) {
      if (!value) continue;
      const dt = document.createElement("dt");
      dt.textContent = tr(`tablet.card.${key}`);
      const dd = document.createElement("dd");
      if (key === "email" || key === "phone") {
        const link = document.createElement("a");
        link.href = `${key === "email" ? "mailto:" : "tel:"}${value}`;
        link.textContent = value;
        dd.append(link);
      } else {
        dd.textContent = value;
      }
      contact.append(dt, dd);
    }
  }
  // Answers to the event's questions that the visitor shares with employers (the server
  // sends them only with consent).
  if (consented && card && Array.isArray(card.answers)) {
    for (const answer of card.answers) {
      const dt = document.createElement("dt");
      dt.textContent = answer.label;
      const dd = document.createElement("dd");
      dd.textContent = answer.text;
      contact.append(dt, dd);
    }
  }
  contact.hidden = contact.children.length === 0;

  const mutual = Boolean((card && card.mutual) || (entry && entry.mutual));
  const mutualEl = $("visitor-mutual");
  mutualEl.hidden = !mutual;
  mutualEl.textContent = mutual ? tr("tablet.card.mutual", { name: first || "" }) : "";
  section.dataset.mutual = String(mutual);

  renderMatch(card);
  renderSkills(card, first);
  $("visitor-offline").hidden = Boolean(card);
  renderChoice();
}

export function renderMatch(card) {
  const title = $("match-title");
  const meter = $("match-meter");
  const matched = $("match-matched");
  const box = $("visitor-match");
  box.hidden = !card;
  if (!card) return;
  const best = card.best_match;
  if (!best) {
    title.textContent = tr("tablet.card.no_match");
    meter.hidden = true;
    matched.textContent = "";
    return;
  }
  title.textContent = tr("tablet.card.match", { title: best.title, score: best.score });
  meter.hidden = false;
  meter.value = best.score;
  const names = new Map(card.competencies.map((c) => [c.code, c.name]));
  const list = (best.matched || []).map((code) => names.get(code) || code);
  matched.textContent = list.length ? tr("tablet.card.matched", { list: list.join(", ") })
    : tr("tablet.card.matched_none");
}

export function renderSkills(card, first) {
  const heading = $("skills-heading");
  const list = $("visitor-skills");
  const education = $("visitor-education");
  list.replaceChildren();
  heading.hidden = !card;
  list.hidden = !card;
  education.hidden = true;
  if (!card) return;
  heading.textContent = tr("tablet.card.skills", { name: first || "" });
  if (!card.competencies.length) {
    const li = document.createElement("li");
    li.textContent = tr("tablet.card.skills_none");
    list.append(li);
  }
  for (const skill of card.competencies) {
    const li = document.createElement("li");
    const name = document.createElement("span");
    name.textContent = skill.name;
    const level = document.createElement("span");
    level.className = "tablet-skill-level";
    level.textContent = tr(`level.${skill.level}`);
    li.append(name, " ", level);
    list.append(li);
  }
  if (card.education_level) {
    education.hidden = false;
    education.textContent = tr("tablet.card.education",
      { level: tr(`edu.${card.education_level}`) });
  }
}

export function renderChoice() {
  if (!state.current) return;
  // Pressed: what is stored for this visitor; nothing for a visitor not saved yet.
  const level = state.current.savedValues ? state.current.savedValues.level : null;
  for (const button of document.querySelectorAll("#outcome [data-level]")) {
    button.setAttribute("aria-pressed", String(button.dataset.level === level));
  }
  // New vacancy titles may have come with the card; keep what is selected.
  const selected = $("vacancy-select").value;
  fillVacancies(selected === "" ? null : Number(selected));
}

/** Put saved values into the optional fields: only when a visitor is opened. */
export function fillDetails(values) {
  const form = $("details-form");
  const rating = values.rating === null || values.rating === undefined ? "" : String(values.rating);
  for (const radio of form.elements.rating) radio.checked = radio.value === rating;
  $("note-input").value = values.note || "";
  fillVacancies(values.vacancy_id);
}

export function fillVacancies(selected) {
  const select = $("vacancy-select");
  const known = new Map(vacancies);
  const card = state.current && cards.get(state.current.registrationId);
  if (card && card.best_match) known.set(card.best_match.vacancy_id, card.best_match.title);
  if (selected && !known.has(selected)) {
    known.set(selected, tr("tablet.vacancy.n", { id: selected }));
  }
  const options = [new Option(tr("tablet.vacancy.none"), "")];
  for (const [id, title] of known) options.push(new Option(title, String(id)));
  select.replaceChildren(...options);
  select.value = selected ? String(selected) : "";
}

export function readDetails() {
  const form = $("details-form");
  const rating = form.elements.rating.value;
  const vacancy = $("vacancy-select").value;
  return {
    note: $("note-input").value.trim(),
    rating: rating === "" ? null : Number(rating),
    vacancy_id: vacancy === "" ? null : Number(vacancy),
  };
}
