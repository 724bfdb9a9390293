//! Full-text search for the public site over services, organisations, information systems,
//! datasets and life events, in Azerbaijani, English and Russian at once.
//!
//! Visitors type without Azerbaijani letters (`seher` for `şəhər`) and in whichever of the three
//! languages they think in, so every text is folded with [`fold_az`] and all languages share one
//! vocabulary. The site holds tens of thousands of services in memory and answers while the
//! visitor types, so no query scans texts: the vocabulary is sorted, which makes the words
//! starting with a term one range of word ids, found by binary search.

use crate::EntityKind;
use crate::{Code, Index, Lang, Registry, Text, fold_az};
use std::cmp::Reverse;
use std::collections::HashMap;
use std::sync::Arc;

/// Where a word occurs, one bit each, so a posting needs one byte: names in az/en/ru (bits
/// 0-2), descriptions in az/en/ru (bits 3-5), the code (bit 6).
const CODE_BIT: usize = 6;
const BITS: usize = 7;
/// Weight of a match per bit: the name says what a record is; a code is typed on purpose;
/// descriptions mention many things in passing.
const WEIGHT: [u32; BITS] = [3, 3, 3, 1, 1, 1, 2];

/// Where a query matched, so a page knows which text to show and highlight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Code,
    Name,
    Description,
}

fn bit_field(bit: usize) -> (Field, Option<Lang>) {
    match bit {
        0..=2 => (Field::Name, Some(Lang::ALL[bit])),
        3..=5 => (Field::Description, Some(Lang::ALL[bit - 3])),
        _ => (Field::Code, None),
    }
}

/// One record found, by position rather than reference, so the index can live beside the
/// registry it was built from.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub kind: EntityKind,
    /// Index in the registry's vector of that kind.
    pub position: usize,
    /// Higher is better; comparable only within one query.
    pub score: u32,
    /// The field whose text matched the most terms, so the page shows why the record was found.
    pub field: Field,
    /// Language of that text; `None` for a code, which has no language.
    pub lang: Option<Lang>,
}

/// A hit with what ranks it after its score: the length of its best-covered name.
struct Ranked {
    hit: Hit,
    name_len: u32,
}

/// The order of kinds among an index's entries (as [`SearchIndex::new`] adds them).
fn kind_rank(kind: EntityKind) -> usize {
    KINDS.iter().position(|&k| k == kind).unwrap_or(KINDS.len())
}

/// An inverted index built once per registry snapshot.
#[derive(Debug, Clone, Default)]
pub struct SearchIndex {
    /// Folded words, sorted, so the words with a given prefix are one range of ids.
    vocab: Vec<Box<str>>,
    vocab_chars: Vec<u32>,
    /// Postings of word `w` (entries, and the field bits the word has there) are at
    /// `post_start[w]..post_start[w + 1]`; the offsets double as prefix sums, so counting a
    /// range's postings, to find the rarest term, costs nothing.
    post_start: Vec<u32>,
    post_entry: Vec<u32>,
    post_mask: Vec<u8>,
    /// Name words of entry `e` in language `l` (slot `3 * e + l`), with repeats: what "how
    /// much of the name is covered" is measured on.
    name_start: Vec<u32>,
    name_word: Vec<u32>,
    /// Entries in kind order (services, organisations, life events, systems, datasets), so
    /// ordering by entry orders by kind, then position.
    entries: Vec<(EntityKind, usize)>,
}

/// Splits folded text as queries are split, so indexed words and terms line up.
fn words(folded: &str) -> impl Iterator<Item = &str> {
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// The folded words of a query, as matched.
///
/// Repeats are dropped: they would demand nothing more and only inflate the score.
pub fn terms(query: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in words(&fold_az(query)) {
        if !out.iter().any(|t| t == w) {
            out.push(w.to_string());
        }
    }
    out
}

#[derive(Default)]
struct Builder<'a> {
    /// Word ids per space-separated chunk of original text. Folding works per character, so
    /// folding each distinct chunk once gives what folding every text would, and texts repeat
    /// words far more often than they bring new ones: this halves the build.
    chunks: HashMap<&'a str, (u32, u32)>,
    chunk_ids: Vec<u32>,
    ids: HashMap<Box<str>, u32>,
    words: Vec<Box<str>>,
    /// Per word, the last entry it was met in and its slot in `merged`, so repeated words of
    /// an entry merge their field bits without sorting.
    last: Vec<(u32, u32)>,
    /// (word, entry, field bits), entry after entry.
    merged: Vec<(u32, u32, u8)>,
    name_start: Vec<u32>,
    name_word: Vec<u32>,
    entries: Vec<(EntityKind, usize)>,
}

impl<'a> Builder<'a> {
    fn word_ids(&mut self, chunk: &'a str) -> std::ops::Range<usize> {
        if let Some(&(from, to)) = self.chunks.get(chunk) {
            return from as usize..to as usize;
        }
        let from = self.chunk_ids.len();
        for w in words(&fold_az(chunk)) {
            let fresh = self.words.len() as u32;
            let id = *self.ids.entry(w.into()).or_insert(fresh);
            if id == fresh {
                self.words.push(w.into());
                self.last.push((u32::MAX, 0));
            }
            self.chunk_ids.push(id);
        }
        self.chunks
            .insert(chunk, (from as u32, self.chunk_ids.len() as u32));
        from..self.chunk_ids.len()
    }

    fn text(&mut self, text: &'a str, bit: usize) {
        let entry = self.entries.len() as u32;
        for chunk in text.split(' ').filter(|c| !c.is_empty()) {
            let range = self.word_ids(chunk);
            for &id in &self.chunk_ids[range] {
                let last = &mut self.last[id as usize];
                if last.0 == entry {
                    self.merged[last.1 as usize].2 |= 1 << bit;
                } else {
                    *last = (entry, self.merged.len() as u32);
                    self.merged.push((id, entry, 1 << bit));
                }
                if bit < 3 {
                    self.name_word.push(id);
                }
            }
        }
    }

    fn add(&mut self, entry: (EntityKind, usize), code: &'a Code, name: &'a Text, desc: &'a Text) {
        self.text(code.as_str(), CODE_BIT);
        for (l, lang) in Lang::ALL.into_iter().enumerate() {
            if let Some(text) = name.get(lang) {
                self.text(text, l);
            }
            self.name_start.push(self.name_word.len() as u32);
            if let Some(text) = desc.get(lang) {
                self.text(text, 3 + l);
            }
        }
        self.entries.push(entry);
    }

    fn finish(mut self) -> SearchIndex {
        let mut order: Vec<u32> = (0..self.words.len() as u32).collect();
        order.sort_unstable_by(|&a, &b| self.words[a as usize].cmp(&self.words[b as usize]));
        let mut rank = vec![0u32; order.len()];
        for (r, &w) in order.iter().enumerate() {
            rank[w as usize] = r as u32;
        }
        let vocab: Vec<Box<str>> = order
            .iter()
            .map(|&w| std::mem::take(&mut self.words[w as usize]))
            .collect();
        let vocab_chars: Vec<u32> = vocab.iter().map(|w| w.chars().count() as u32).collect();
        // A counting sort by word; entries were added in order, so each word's postings come
        // out sorted by entry.
        let mut next = vec![0u32; vocab.len() + 1];
        for item in &mut self.merged {
            item.0 = rank[item.0 as usize];
            next[item.0 as usize + 1] += 1;
        }
        for i in 1..next.len() {
            next[i] += next[i - 1];
        }
        let post_start = next.clone();
        let (mut post_entry, mut post_mask) =
            (vec![0; self.merged.len()], vec![0; self.merged.len()]);
        for &(w, e, m) in &self.merged {
            let slot = &mut next[w as usize];
            (post_entry[*slot as usize], post_mask[*slot as usize]) = (e, m);
            *slot += 1;
        }
        for w in &mut self.name_word {
            *w = rank[*w as usize];
        }
        SearchIndex {
            vocab,
            vocab_chars,
            post_start,
            post_entry,
            post_mask,
            name_start: self.name_start,
            name_word: self.name_word,
            entries: self.entries,
        }
    }
}

/// A query term resolved against the vocabulary: word ids `lo..hi` start with it.
struct Range {
    lo: u32,
    hi: u32,
    exact: Option<u32>,
    chars: u32,
}

/// Where one term matched one entry: field bits of any match, and of whole-word matches.
#[derive(Clone, Copy, Default)]
struct Masks {
    any: u8,
    exact: u8,
}

/// A match's sort key (best first): score, name length, entry; then where its masks are.
type Scored = (Reverse<u32>, u32, u32, usize);

impl SearchIndex {
    pub fn new(reg: &Registry) -> SearchIndex {
        let none = Text::new();
        let mut b = Builder::default();
        b.name_start.push(0);
        for (i, s) in reg.services.iter().enumerate() {
            b.add((EntityKind::Service, i), &s.code, &s.name, &s.description);
        }
        for (i, o) in reg.organisations.iter().enumerate() {
            b.add((EntityKind::Organisation, i), &o.code, &o.name, &none);
        }
        for (i, e) in reg.life_events.iter().enumerate() {
            b.add((EntityKind::LifeEvent, i), &e.code, &e.name, &e.description);
        }
        for (i, s) in reg.information_systems.iter().enumerate() {
            b.add(
                (EntityKind::InformationSystem, i),
                &s.code,
                &s.name,
                &s.description,
            );
        }
        for (i, d) in reg.datasets.iter().enumerate() {
            b.add((EntityKind::Dataset, i), &d.code, &d.name, &d.description);
        }
        b.finish()
    }

    /// Whether an index holds records like `record` (services, organisations, life events,
    /// information systems, datasets).
    pub fn holds(record: &crate::change::AnyRecord) -> bool {
        use crate::change::AnyRecord;
        matches!(
            record,
            AnyRecord::Service(_)
                | AnyRecord::Organisation(_)
                | AnyRecord::LifeEvent(_)
                | AnyRecord::InformationSystem(_)
                | AnyRecord::Dataset(_)
        )
    }

    /// How many entries an index of `reg` has.
    pub fn entries_of(reg: &Registry) -> usize {
        KINDS.into_iter().map(|kind| len_of(reg, kind)).sum()
    }

    fn range(&self, term: &str) -> Range {
        let lo = self.vocab.partition_point(|w| &**w < term);
        let hi = lo + self.vocab[lo..].partition_point(|w| w.starts_with(term));
        Range {
            lo: lo as u32,
            hi: hi as u32,
            exact: (lo < hi && &*self.vocab[lo] == term).then_some(lo as u32),
            chars: term.chars().count() as u32,
        }
    }

    /// Ranked hits (best first) and the total number of matches; `kinds` None = every kind.
    ///
    /// Ranking, most important first: terms matching whole words rather than prefixes; terms
    /// matching in the name, then the code, then the description; more of a name covered; a
    /// shorter name; then kind and position, so a query always lists the same page.
    pub fn search(
        &self,
        query: &str,
        kinds: Option<&[EntityKind]>,
        limit: usize,
    ) -> (Vec<Hit>, usize) {
        let (ranked, total) = self.ranked(query, kinds, limit, &[]);
        (ranked.into_iter().map(|r| r.hit).collect(), total)
    }

    /// [`SearchIndex::search`] leaving out the entries `hidden` (sorted), each hit with its
    /// name length, which ranks it after its score.
    fn ranked(
        &self,
        query: &str,
        kinds: Option<&[EntityKind]>,
        limit: usize,
        hidden: &[u32],
    ) -> (Vec<Ranked>, usize) {
        let mut ranges: Vec<Range> = terms(query).iter().map(|t| self.range(t)).collect();
        if ranges.is_empty() || ranges.iter().any(|r| r.lo == r.hi) {
            return (Vec::new(), 0);
        }
        // The rarest term leaves the fewest candidates for the others to check.
        ranges.sort_by_key(|r| self.post_start[r.hi as usize] - self.post_start[r.lo as usize]);
        let kind_ok = |e: &u32| kinds.is_none_or(|ks| ks.contains(&self.entries[*e as usize].0));
        let mut cands: Vec<u32> = (0..self.entries.len() as u32).filter(kind_ok).collect();
        let mut masks: Vec<Masks> = Vec::new();
        for (t, r) in ranges.iter().enumerate() {
            if cands.is_empty() {
                break;
            }
            let found = self.union(r);
            // Keep what this term matched too, with the masks of every term so far.
            let (mut kept, mut kept_masks) = (Vec::new(), Vec::new());
            for (i, &e) in cands.iter().enumerate() {
                if found[e as usize].any != 0 {
                    kept.push(e);
                    kept_masks.extend_from_slice(&masks[i * t..(i + 1) * t]);
                    kept_masks.push(found[e as usize]);
                }
            }
            (cands, masks) = (kept, kept_masks);
        }
        let n = ranges.len();
        if !hidden.is_empty() {
            let (mut kept, mut kept_masks) = (Vec::new(), Vec::new());
            for (i, &e) in cands.iter().enumerate() {
                if hidden.binary_search(&e).is_err() {
                    kept.push(e);
                    kept_masks.extend_from_slice(&masks[i * n..(i + 1) * n]);
                }
            }
            (cands, masks) = (kept, kept_masks);
        }
        let mut scored: Vec<Scored> = (cands.iter().enumerate())
            .map(|(i, &e)| self.score(e, i * n, &ranges, &masks[i * n..(i + 1) * n]))
            .collect();
        let total = scored.len();
        if limit == 0 {
            scored.clear();
        } else if limit < total {
            scored.select_nth_unstable(limit - 1);
            scored.truncate(limit);
        }
        scored.sort_unstable();
        let hits = scored.iter().map(|&(Reverse(score), name_len, e, at)| {
            let (field, lang) = bit_field(best_bit(&masks[at..at + n]));
            let (kind, position) = self.entries[e as usize];
            Ranked {
                hit: Hit {
                    kind,
                    position,
                    score,
                    field,
                    lang,
                },
                name_len,
            }
        });
        (hits.collect(), total)
    }

    /// The entry of the record `kind` at `position`, when the index has it.
    fn entry_of(&self, kind: EntityKind, position: usize) -> Option<u32> {
        let key = (kind_rank(kind), position);
        let e = self
            .entries
            .binary_search_by_key(&key, |&(k, p)| (kind_rank(k), p))
            .ok()?;
        u32::try_from(e).ok()
    }

    /// The union of the range's postings, as an array over all entries: a short prefix can
    /// cover most postings, and marking them is cheaper than sorting them.
    fn union(&self, r: &Range) -> Vec<Masks> {
        let mut out = vec![Masks::default(); self.entries.len()];
        for w in r.lo..r.hi {
            let exact = Some(w) == r.exact;
            for p in self.post_start[w as usize]..self.post_start[w as usize + 1] {
                let (e, m) = (self.post_entry[p as usize], self.post_mask[p as usize]);
                out[e as usize].any |= m;
                out[e as usize].exact |= if exact { m } else { 0 };
            }
        }
        out
    }

    fn score(&self, e: u32, at: usize, ranges: &[Range], masks: &[Masks]) -> Scored {
        let e = e as usize;
        let (mut exact_terms, mut field_sum, mut any) = (0u32, 0u32, 0u8);
        for m in masks {
            let best = if m.exact != 0 { m.exact } else { m.any };
            exact_terms += u32::from(m.exact != 0);
            field_sum += (0..BITS)
                .map(|b| WEIGHT[b] * u32::from(best >> b & 1))
                .max()
                .unwrap_or(0);
            any |= m.any;
        }
        // The best-covered name and its length; with no name matched, the shortest name.
        let (mut coverage, mut name_len) = (0u32, u32::MAX);
        for l in 0..3 {
            let (from, to) = (self.name_start[3 * e + l], self.name_start[3 * e + l + 1]);
            let (mut total, mut covered) = (0u32, 0u32);
            for &w in &self.name_word[from as usize..to as usize] {
                let chars = self.vocab_chars[w as usize];
                total += chars;
                if any >> l & 1 == 1 {
                    let hit = ranges.iter().filter(|r| r.lo <= w && w < r.hi);
                    covered += hit.map(|r| r.chars.min(chars)).max().unwrap_or(0);
                }
            }
            // Permille, to fit below the other parts of the score.
            if let Some(cov) = (u64::from(covered) * 1000).checked_div(u64::from(total))
                && (cov as u32, Reverse(total)) > (coverage, Reverse(name_len))
            {
                (coverage, name_len) = (cov as u32, total);
            }
        }
        let score = (exact_terms.min(255) << 24) | (field_sum.min(4095) << 12) | coverage;
        (Reverse(score), name_len, e as u32, at)
    }
}

/// The search index of a registry made from another by putting a few records in (edited or
/// added): the other registry's index shared, the entries of the records put in since left out
/// of it, beside an index of those records alone. It answers as an index of the whole new
/// registry made anew would (a test compares them), without making one: an editor's change of
/// one record in a registry of hundreds of thousands indexes that record, not all of them.
#[derive(Debug, Clone)]
pub struct Layered {
    base: Arc<SearchIndex>,
    /// The registry `base` was made of: its codes name its entries.
    base_reg: Arc<Registry>,
    /// The entries of `base` whose records were put in since, sorted.
    hidden: Vec<u32>,
    /// The records put in since `base`, each as last put, and their index.
    put: Registry,
    put_index: SearchIndex,
}

impl Layered {
    /// `base`, the index of `base_reg`, with the records of `put` (of the kinds an index
    /// holds; each code once) put in place of the ones with their codes or added.
    pub fn new(base: Arc<SearchIndex>, base_reg: Arc<Registry>, mut put: Registry) -> Layered {
        // In canonical order, as the new registry: the order of each index's entries is then
        // the order of their positions there, so each index's first `limit` hits are the
        // ones a whole index would rank first.
        put.sort();
        let mut hidden: Vec<u32> = KINDS
            .into_iter()
            .flat_map(|kind| {
                positions_of(&base_reg, &put, kind)
                    .into_iter()
                    .filter_map(|p| base.entry_of(kind, p))
                    .collect::<Vec<_>>()
            })
            .collect();
        hidden.sort_unstable();
        hidden.dedup();
        let put_index = SearchIndex::new(&put);
        Layered {
            base,
            base_reg,
            hidden,
            put,
            put_index,
        }
    }

    /// The index this one is made on, the registry it was made of, and the records put in
    /// since: what the next layer starts from.
    pub fn parts(&self) -> (&Arc<SearchIndex>, &Arc<Registry>, &Registry) {
        (&self.base, &self.base_reg, &self.put)
    }

    /// [`SearchIndex::search`] over the new registry, whose records `codes` indexes: hits by
    /// their positions there.
    pub fn search(
        &self,
        query: &str,
        kinds: Option<&[EntityKind]>,
        limit: usize,
        codes: &Index,
    ) -> (Vec<Hit>, usize) {
        let (base, base_total) = self.base.ranked(query, kinds, limit, &self.hidden);
        let (put, put_total) = self.put_index.ranked(query, kinds, limit, &[]);
        // Ranked as one index would rank them: score, name length, then kind and position.
        let placed = |from: &Registry, r: Ranked| {
            let code = code_at(from, r.hit.kind, r.hit.position)?;
            let position = codes.position(r.hit.kind, code)?;
            let key = (
                Reverse(r.hit.score),
                r.name_len,
                kind_rank(r.hit.kind),
                position,
            );
            Some((key, Hit { position, ..r.hit }))
        };
        let mut hits: Vec<_> = (base.into_iter())
            .filter_map(|r| placed(&self.base_reg, r))
            .chain(put.into_iter().filter_map(|r| placed(&self.put, r)))
            .collect();
        hits.sort_unstable_by_key(|a| a.0);
        hits.truncate(limit);
        (
            hits.into_iter().map(|(_, h)| h).collect(),
            base_total + put_total,
        )
    }
}

/// The kinds of record an index holds, in the order of its entries.
const KINDS: [EntityKind; 5] = [
    EntityKind::Service,
    EntityKind::Organisation,
    EntityKind::LifeEvent,
    EntityKind::InformationSystem,
    EntityKind::Dataset,
];

/// How many records of `kind` `reg` has, of the kinds an index holds.
fn len_of(reg: &Registry, kind: EntityKind) -> usize {
    match kind {
        EntityKind::Service => reg.services.len(),
        EntityKind::Organisation => reg.organisations.len(),
        EntityKind::LifeEvent => reg.life_events.len(),
        EntityKind::InformationSystem => reg.information_systems.len(),
        EntityKind::Dataset => reg.datasets.len(),
        _ => 0,
    }
}

/// The code of the record `kind` at `position` of `reg`, of the kinds an index holds.
fn code_at(reg: &Registry, kind: EntityKind, position: usize) -> Option<&str> {
    Some(match kind {
        EntityKind::Service => reg.services.get(position)?.code.as_str(),
        EntityKind::Organisation => reg.organisations.get(position)?.code.as_str(),
        EntityKind::LifeEvent => reg.life_events.get(position)?.code.as_str(),
        EntityKind::InformationSystem => reg.information_systems.get(position)?.code.as_str(),
        EntityKind::Dataset => reg.datasets.get(position)?.code.as_str(),
        _ => return None,
    })
}

/// The positions in `reg` of the records of `kind` whose codes `put` has: by binary search
/// when `reg` holds them in code order (as a snapshot's registry does), else one by one.
fn positions_of(reg: &Registry, put: &Registry, kind: EntityKind) -> Vec<usize> {
    let n = len_of(reg, kind);
    let sorted = (1..n).all(|p| code_at(reg, kind, p - 1) <= code_at(reg, kind, p));
    let find = |code: &str| {
        if !sorted {
            return (0..n).find(|&p| code_at(reg, kind, p) == Some(code));
        }
        let (mut lo, mut hi) = (0, n);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match code_at(reg, kind, mid)?.cmp(code) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some(mid),
            }
        }
        None
    };
    (0..len_of(put, kind))
        .filter_map(|p| find(code_at(put, kind, p)?))
        .collect()
}

/// The text that matched the most terms, then the most whole words, then the weightiest field.
fn best_bit(masks: &[Masks]) -> usize {
    let key = |b: usize| {
        let count = |f: fn(&Masks) -> u8| masks.iter().filter(|m| f(m) >> b & 1 == 1).count();
        (count(|m| m.any), count(|m| m.exact), WEIGHT[b], Reverse(b))
    };
    (0..BITS).max_by_key(|&b| key(b)).unwrap_or(CODE_BIT)
}

/// `text` cut into segments, true where a word matches a query term (the matched prefix of a
/// word only), so a page can wrap them in <mark>. Concatenating the segments gives `text` back
/// exactly.
///
/// Works on the original characters, not the folded text, because folding changes lengths
/// (`ﬁ` becomes two letters, a combining mark none) and the page must mark what it shows.
/// `terms` are folded again, so unfolded words work too.
pub fn highlight(text: &str, terms: &[String]) -> Vec<(String, bool)> {
    let terms: Vec<String> = (terms.iter().map(|t| fold_az(t)))
        .filter(|t| !t.is_empty() && t.chars().all(char::is_alphanumeric))
        .collect();
    // Per character: byte range, folded letters, and whether it separates words. A character
    // folding to nothing (a combining mark) joins the word around it, as in the folded text.
    let pieces: Vec<(usize, usize, String, bool)> = (text.char_indices())
        .map(|(i, c)| {
            let folded = fold_az(c.encode_utf8(&mut [0u8; 4]));
            let letters: String = folded.chars().filter(|c| c.is_alphanumeric()).collect();
            let separates = c.is_whitespace() || (letters.is_empty() && !folded.is_empty());
            (i, i + c.len_utf8(), letters, separates)
        })
        .collect();
    let (mut out, mut done, mut i) = (Vec::new(), 0, 0);
    while i < pieces.len() {
        if pieces[i].3 || pieces[i].2.is_empty() {
            i += 1;
            continue;
        }
        let end = (i..pieces.len())
            .find(|&k| pieces[k].3)
            .unwrap_or(pieces.len());
        let folded: String = pieces[i..end].iter().map(|p| p.2.as_str()).collect();
        let need = (terms.iter().filter(|t| folded.starts_with(t.as_str())))
            .map(|t| t.chars().count())
            .max();
        if let Some(need) = need {
            let (mut k, mut have) = (i, 0);
            while have < need && k < end {
                have += pieces[k].2.chars().count();
                k += 1;
            }
            // Marks that follow stay with their letter.
            while k < end && pieces[k].2.is_empty() {
                k += 1;
            }
            let (start, stop) = (pieces[i].0, pieces[k - 1].1);
            if start > done {
                out.push((text[done..start].to_string(), false));
            }
            out.push((text[start..stop].to_string(), true));
            done = stop;
        }
        i = end;
    }
    if done < text.len() {
        out.push((text[done..].to_string(), false));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use EntityKind::Service as Svc;
    use EntityKind::{
        Dataset as Ds, InformationSystem as Is, LifeEvent as Le, Organisation as Org,
    };
    use Field::{Code as ByCode, Description as ByDesc, Name as ByName};
    use Lang::{Az, En, Ru};
    use proptest::prelude::*;
    use serde_json::{Value, json};

    fn list<T: serde::de::DeserializeOwned>(v: &Value) -> Vec<T> {
        serde_json::from_value(v.clone()).expect("valid test records")
    }

    /// A service from `[code, name, description]`.
    fn service(s: &Value) -> Value {
        json!({ "code": s[0], "name": s[1], "description": s[2], "status": "active",
                "organisations": ["ORG-ISM"], "provenance": "manual" })
    }

    fn registry() -> Registry {
        let (active, manual) = ("active", "manual");
        let v = json!({
            "services": [
                ["SVC-012", { "az": "Şəhər nəqliyyatı", "en": "City transport",
                    "ru": "Городской транспорт" }, { "en": "Cards for buses and the metro" }],
                ["SVC-020", { "az": "Əhalinin qeydiyyatı", "en": "Population registration",
                    "ru": "Регистрация населения" }, { "az": "Əhali reyestrindən çıxarış" }],
                ["SVC-101", { "az": "Vergi bəyannaməsi", "en": "Tax return" },
                    { "en": "Residents of the city declare their income" }],
                ["SVC-0121", { "en": "Cityscape permits" }, {}],
                ["SVC-200", { "az": "İsmayıllı rayonu üzrə torpaq arayışı" }, {}]
            ],
            "organisations": [{ "code": "ORG-ISM", "type": "state_agency", "status": active,
                "name": { "az": "İsmayıllı Rayon İcra Hakimiyyəti", "en": "Ismayilli Authority" },
                "provenance": manual }],
            "life_events": [{ "code": "LE-BIRTH", "journey_order": 1, "eu_code": "BIR",
                "name": { "az": "Uşağın doğulması", "en": "Birth of a child",
                "ru": "Рождение ребёнка" }, "status": active, "provenance": manual }],
            "information_systems": [{ "code": "IS-POP", "owner": "ORG-ISM", "base_registry": true,
                "name": { "en": "Population register", "az": "Əhali reyestri" },
                "lifecycle": "in_use", "digitisation": { "state": "born_digital" },
                "provenance": manual }],
            "datasets": [{ "code": "DS-POP", "name": { "en": "Population records" },
                "system": "IS-POP", "status": active, "provenance": manual }]
        });
        let services = v["services"].as_array().into_iter().flatten().map(service);
        Registry {
            services: list(&Value::Array(services.collect())).into(),
            organisations: list(&v["organisations"]).into(),
            life_events: list(&v["life_events"]).into(),
            information_systems: list(&v["information_systems"]).into(),
            datasets: list(&v["datasets"]).into(),
            ..Registry::default()
        }
    }

    fn found(idx: &SearchIndex, q: &str) -> Vec<(EntityKind, usize)> {
        let hits = idx.search(q, None, 100).0;
        hits.iter().map(|h| (h.kind, h.position)).collect()
    }

    fn fields(idx: &SearchIndex, q: &str) -> Vec<(usize, Field, Option<Lang>)> {
        let hits = idx.search(q, None, 100).0;
        hits.iter().map(|h| (h.position, h.field, h.lang)).collect()
    }

    #[test]
    fn azerbaijani_letters_fold_in_queries_and_texts() {
        let idx = SearchIndex::new(&registry());
        assert_eq!(fields(&idx, "seher"), [(0, ByName, Some(Az))]);
        assert_eq!(found(&idx, "ŞƏHƏR"), [(Svc, 0)]);
        // Both names hold the word; it covers more of the organisation's.
        assert_eq!(found(&idx, "ismayilli"), [(Org, 0), (Svc, 4)]);
        // A whole word ("Əhali reyestri") before a prefix ("Əhalinin").
        assert_eq!(found(&idx, "ehali"), [(Is, 0), (Svc, 1)]);
    }

    #[test]
    fn russian_and_english_match() {
        let idx = SearchIndex::new(&registry());
        assert_eq!(fields(&idx, "РЕГИСТРАЦ"), [(1, ByName, Some(Ru))]);
        assert_eq!(found(&idx, "ребенка"), [(Le, 0)]);
        assert_eq!(fields(&idx, "birth"), [(0, ByName, Some(En))]);
    }

    #[test]
    fn every_term_must_match() {
        let idx = SearchIndex::new(&registry());
        assert_eq!(found(&idx, "population register"), [(Is, 0)]);
        assert!(found(&idx, "population tax").is_empty());
        assert!(found(&idx, "population zzz").is_empty());
    }

    #[test]
    fn exact_words_then_names_then_coverage_then_short_names_rank_first() {
        let idx = SearchIndex::new(&registry());
        // Whole word in a name, whole word in a description, prefix of a name.
        let got: Vec<_> = fields(&idx, "city").iter().map(|h| (h.0, h.1)).collect();
        assert_eq!(got, [(0, ByName), (2, ByDesc), (3, ByName)]);
        // `regist` covers more of "register" than of "registration".
        assert_eq!(found(&idx, "population regist"), [(Is, 0), (Svc, 1)]);
        assert_eq!(found(&idx, "population"), [(Ds, 0), (Is, 0), (Svc, 1)]);
    }

    #[test]
    fn codes_match_by_prefix() {
        let idx = SearchIndex::new(&registry());
        let want = [(0, ByCode, None), (3, ByCode, None)];
        assert_eq!(fields(&idx, "svc-01"), want);
        assert_eq!(found(&idx, "SVC-012")[0], (Svc, 0));
        assert_eq!(found(&idx, "is-pop"), [(Is, 0)]);
    }

    #[test]
    fn kinds_filter_limit_and_empty_queries() {
        let idx = SearchIndex::new(&registry());
        let (hits, total) = idx.search("ismayilli", Some(&[Org]), 10);
        assert_eq!((hits.len(), total, hits[0].kind), (1, 1, Org));
        assert_eq!(idx.search("ismayilli", Some(&[]), 10).1, 0);
        let (all, total) = idx.search("svc", None, 100);
        assert_eq!((all.len(), total), (5, 5));
        assert_eq!(idx.search("svc", None, 2), (all[..2].to_vec(), 5));
        assert_eq!(idx.search("svc", None, 0), (Vec::new(), 5));
        for q in ["", "   ", "-- ,!"] {
            assert_eq!(idx.search(q, None, 10), (Vec::new(), 0));
        }
        let empty = SearchIndex::new(&Registry::default());
        assert_eq!(empty.search("seher", None, 10), (Vec::new(), 0));
        assert_eq!(terms("Şəhər, ƏHALİ-si şəhər"), ["seher", "ehali", "si"]);
    }

    /// Highlighted text with marks in brackets.
    fn marked(text: &str, query: &str) -> String {
        let terms: Vec<String> = query.split(' ').map(str::to_string).collect();
        let bracket = |(s, m): (String, bool)| if m { format!("[{s}]") } else { s };
        highlight(text, &terms).into_iter().map(bracket).collect()
    }

    #[test]
    fn highlight_marks_the_matched_prefix_of_original_words() {
        let want = [("Şəhər".to_string(), true), (" əhalisi".to_string(), false)];
        assert_eq!(highlight("Şəhər əhalisi", &terms("seher")), want);
        assert_eq!(marked("əhalinin sayı", "ehali"), "[əhali]nin sayı");
        assert_eq!(
            marked("İsmayıllı rayonu, ", "ismayil ray"),
            "[İsmayıl]lı [ray]onu, "
        );
        // A decomposed ş keeps its cedilla inside the mark.
        assert_eq!(marked("s\u{327}əhər", "s"), "[s\u{327}]əhər");
        assert_eq!(marked("Рождение ребёнка", "РЕБЕ"), "Рождение [ребё]нка");
        assert_eq!(marked("abc", ""), "abc");
    }

    proptest! {
        #[test]
        fn highlight_gives_the_text_back(
            text in "[a-zA-ZəƏıİşŞçÇöÖüÜ\u{327}\u{301}ﬁйЁё .,-]{0,40}|\\PC{0,40}",
            query in "[a-zəıişğçöüйеё ]{0,12}",
        ) {
            let terms = terms(&query);
            let segments = highlight(&text, &terms);
            prop_assert_eq!(segments.iter().map(|(s, _)| s.as_str()).collect::<String>(), text);
            for (s, marked) in segments.iter().filter(|(s, m)| *m || s.is_empty()) {
                let letters: String = fold_az(s).chars().filter(|c| c.is_alphanumeric()).collect();
                prop_assert!(*marked && terms.iter().any(|t| letters.starts_with(t.as_str())));
            }
        }
    }

    /// Names and codes the layered index's edits choose from: some sort before, between
    /// and after the registry's codes, some reuse them.
    const NAMES: [&str; 6] = [
        "City transport",
        "New city permit",
        "Tax return",
        "Population cards",
        "Şəhər yeni arayış",
        "",
    ];
    const CODES: [&str; 7] = [
        "SVC-000", "SVC-012", "SVC-015", "SVC-0121", "SVC-150", "SVC-200", "SVC-999",
    ];

    proptest! {
        /// Records put in (renamed or added) over the index of the registry before answer
        /// as the index of the registry after made anew: the same hits, in the same order,
        /// at the same positions, with the same totals, whatever the limit.
        #[test]
        fn a_layered_index_answers_as_an_index_made_anew(
            puts in proptest::collection::vec((0..CODES.len(), 0..NAMES.len(), 0..NAMES.len()), 0..6),
            organisation in proptest::option::of(0..NAMES.len()),
        ) {
            use crate::change::AnyRecord;
            let mut before = registry();
            before.sort();
            let (mut after, mut put) = (before.clone(), Registry::default());
            for (code, name, description) in puts {
                let record = service(&json!([CODES[code], { "en": NAMES[name] }, { "az": NAMES[description] }]));
                let record: crate::Service = serde_json::from_value(record).expect("a service");
                AnyRecord::Service(record.clone()).put(&mut after, None);
                AnyRecord::Service(record).put(&mut put, None);
            }
            if let Some(name) = organisation {
                let mut o = before.organisations[0].clone();
                o.name = Text::new().with(En, NAMES[name]);
                AnyRecord::Organisation(o.clone()).put(&mut after, None);
                AnyRecord::Organisation(o).put(&mut put, None);
            }
            after.sort();
            let whole = SearchIndex::new(&after);
            let layered = Layered::new(Arc::new(SearchIndex::new(&before)), Arc::new(before), put);
            let codes = Index::new(&after);
            for q in ["city", "seher", "svc", "svc-01", "tax", "population", "cards", "new", "permit", "ismayilli authority", "s", "c p", "zzz"] {
                for limit in [0, 1, 3, 100] {
                    for kinds in [None, Some(&[Svc][..]), Some(&[Org, Is][..])] {
                        prop_assert_eq!(
                            layered.search(q, kinds, limit, &codes),
                            whole.search(q, kinds, limit),
                            "{} limit {} kinds {:?}", q, limit, kinds
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn fifty_thousand_services_agree_with_a_naive_scan() {
        let vocab = [
            "şəhər nəqliyyatı İsmayıllı əhalinin qeydiyyatı ödəniş vergi torpaq",
            "city transport birth certificate tax registration register payment land",
            "регистрация населения налог справка рождение ребёнка земля транспорт",
        ]
        .map(|v| v.split(' ').collect::<Vec<_>>());
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        // 0 to 5 words of one language, from a multiplicative generator.
        let mut phrase = |lang: usize| {
            let mut next = |n: u64| {
                state = state.wrapping_mul(0x5851_F42D_4C95_7F2D);
                ((state >> 33) % n) as usize
            };
            let words: Vec<&str> = (0..next(6)).map(|_| vocab[lang][next(8)]).collect();
            words.join(" ")
        };
        let records: Vec<Value> = (0..50_000)
            .map(|i| {
                let name = json!({ "az": phrase(0), "en": phrase(1), "ru": phrase(2) });
                service(&json!([format!("SVC-{i:05}"), name, { "en": phrase(1), "ru": phrase(2) }]))
            })
            .collect();
        let reg = Registry {
            services: list(&Value::Array(records)).into(),
            ..Registry::default()
        };
        let idx = SearchIndex::new(&reg);
        let text = |s: &crate::Service| {
            format!("{} {} {}", s.code, s.name.joined(), s.description.joined())
        };
        let folded: Vec<String> = reg.services.iter().map(|s| fold_az(&text(s))).collect();
        let queries = [
            "seher|İSMAYILLI reg|ehali neq|регистр|ребенка|cert land|svc-0012|t|s e",
            "zzz|tax налог vergi|SVC-49999|SVC-00|city|ŞƏHƏR NƏQ|reg reg",
        ];
        for q in queries.iter().flat_map(|q| q.split('|')) {
            let terms = terms(q);
            let hit = |f: &str| terms.iter().all(|t| words(f).any(|w| w.starts_with(t)));
            let naive: Vec<usize> = (0..folded.len()).filter(|&i| hit(&folded[i])).collect();
            let (hits, total) = idx.search(q, None, usize::MAX);
            assert!(hits.windows(2).all(|w| w[0].score >= w[1].score), "{q}");
            let top = (hits[..hits.len().min(10)].to_vec(), total);
            assert_eq!(idx.search(q, None, 10), top, "{q}");
            let mut got: Vec<usize> = hits.iter().map(|h| h.position).collect();
            got.sort_unstable();
            assert_eq!((total, got), (naive.len(), naive), "{q}");
        }
    }
}
