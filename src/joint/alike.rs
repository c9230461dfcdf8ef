//! Alike records between the two parties' registers, found without comparing
//! every pair.
//!
//! Each record is a sorted list of word ids. Its candidates are the partner's
//! records with exactly the same key words (the same title, say), then those
//! sharing its rarest words, at most [`BUDGET`] of them: a small register is
//! compared pair by pair as before, and two registers of thousands of alike
//! records (the same risks at a hundred depots) cost a bounded amount per
//! record instead of the square of their size. Every pair found is still
//! judged by the full comparison.

use std::collections::{BTreeSet, HashMap};

/// Candidates compared for one record, at most.
pub const BUDGET: usize = 250;
/// Best pairs kept for one record, for the one-to-one choice (and any more
/// that are as alike as its best).
const KEPT: usize = 8;

const STOPWORDS: [&str; 24] = [
    "the", "and", "for", "with", "from", "into", "our", "their", "its", "per", "than", "that",
    "this", "are", "was", "not", "all", "any", "new", "each", "over", "under", "within", "across",
];

/// Words that carry meaning, cut to a common stem so "delays" meets "delayed".
fn words(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .filter(|w| w.len() >= 3 && !STOPWORDS.contains(&w.as_str()))
        .map(|w| w.chars().take(5).collect())
        .collect()
}

fn ratio(shared: usize, a: usize, b: usize) -> f64 {
    if shared < 2 {
        return 0.0;
    }
    shared as f64 / a.min(b).max(1) as f64
}

/// Words as ids, shared by both parties' records.
#[derive(Default)]
pub struct Vocabulary(HashMap<String, u32>);

impl Vocabulary {
    /// A text's words as sorted ids.
    pub fn ids(&mut self, text: &str) -> Vec<u32> {
        let mut v: Vec<u32> = words(text)
            .into_iter()
            .map(|w| {
                let next = self.0.len() as u32;
                *self.0.entry(w).or_insert(next)
            })
            .collect();
        v.sort_unstable();
        v
    }

    /// The id of a whole text (a category), not of its words.
    pub fn id(&mut self, text: &str) -> u32 {
        let next = self.0.len() as u32;
        *self.0.entry(text.to_string()).or_insert(next)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }
}

/// How many words two sorted lists of word ids share.
fn shared(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// How alike two texts are, as sorted word ids: the words they share over
/// the words of the shorter one (0 to 1), with at least two words in common.
pub fn overlap(a: &[u32], b: &[u32]) -> f64 {
    ratio(shared(a, b), a.len(), b.len())
}

/// How alike two sets of word ids are as a whole: the words they share over
/// all their words. It tells a record's twin from a record whose words are a
/// part of it, which [`overlap`] scores alike.
pub fn jaccard(a: &[u32], b: &[u32]) -> f64 {
    let n = shared(a, b);
    let all = a.len() + b.len() - n;
    if all == 0 { 0.0 } else { n as f64 / all as f64 }
}

/// The partner's records by word, and by key.
pub struct Index {
    postings: Vec<Vec<u32>>,
    by_key: HashMap<Vec<u32>, Vec<u32>>,
    /// Which record was last made a candidate for which: no record is
    /// compared twice with the same one.
    stamp: Vec<u32>,
    round: u32,
}

impl Index {
    /// `records` are each record's words and its key (records with the same
    /// key are always candidates); `vocabulary` is the number of word ids.
    pub fn new<'r>(
        records: impl Iterator<Item = (&'r [u32], &'r [u32])>,
        vocabulary: usize,
    ) -> Self {
        let mut postings: Vec<Vec<u32>> = vec![Vec::new(); vocabulary];
        let mut by_key: HashMap<Vec<u32>, Vec<u32>> = HashMap::new();
        let mut n = 0;
        for (j, (words, key)) in records.enumerate() {
            for &w in words {
                postings[w as usize].push(j as u32);
            }
            if !key.is_empty() {
                by_key.entry(key.to_vec()).or_default().push(j as u32);
            }
            n = j + 1;
        }
        Index {
            postings,
            by_key,
            stamp: vec![u32::MAX; n],
            round: 0,
        }
    }

    /// The candidates for a record: those with its key, then those sharing
    /// its rarest words, at most [`BUDGET`].
    pub fn candidates(&mut self, words: &[u32], key: &[u32]) -> Vec<usize> {
        let mut out = self.keyed(key);
        self.add_sharing(words, &mut out);
        out
    }

    /// The records with this key (a new round of candidates).
    fn keyed(&mut self, key: &[u32]) -> Vec<usize> {
        self.round = self.round.wrapping_add(1);
        let mut out = Vec::new();
        if let Some(list) = self.by_key.get(key) {
            for &j in list.iter().take(BUDGET) {
                self.stamp[j as usize] = self.round;
                out.push(j as usize);
            }
        }
        out
    }

    /// Adds the records sharing the rarest of `words`, up to [`BUDGET`].
    fn add_sharing(&mut self, words: &[u32], out: &mut Vec<usize>) {
        let round = self.round;
        let mut rarest: Vec<&[u32]> = words
            .iter()
            .filter_map(|&w| self.postings.get(w as usize).map(Vec::as_slice))
            .collect();
        rarest.sort_by_key(|list| list.len());
        for list in rarest {
            for &j in list {
                if out.len() >= BUDGET {
                    return;
                }
                let stamp = &mut self.stamp[j as usize];
                if *stamp != round {
                    *stamp = round;
                    out.push(j as usize);
                }
            }
        }
    }
}

/// How alike two records are: pairs are chosen by the first number, and
/// between equals by the second.
pub type Score = (f64, f64);

/// Pairs of records (one of each party) that `score` finds alike (its first
/// number above zero), each record in at most one pair, the most alike
/// first; returned in register order. `a` holds each record's words and key,
/// `index` the partner's `nb` records. A record whose key finds a perfect
/// twin (the same words throughout) is not compared further.
pub fn one_to_one(
    a: &[(&[u32], &[u32])],
    index: &mut Index,
    nb: usize,
    score: impl Fn(usize, usize) -> Score,
) -> Vec<(usize, usize)> {
    let scored = |i: usize, js: &[usize]| -> Vec<(Score, usize, usize)> {
        js.iter()
            .filter_map(|&j| {
                let s = score(i, j);
                (s.0 > 0.0).then_some((s, i, j))
            })
            .collect()
    };
    let mut pairs: Vec<(Score, usize, usize)> = Vec::new();
    for (i, (words, key)) in a.iter().enumerate() {
        let mut candidates = index.keyed(key);
        let mut mine = scored(i, &candidates);
        if !mine.iter().any(|p| p.0 == (1.0, 1.0)) {
            let keyed = candidates.len();
            index.add_sharing(words, &mut candidates);
            mine.extend(scored(i, &candidates[keyed..]));
        }
        mine.sort_by(by_score);
        // Past the best few, only those as alike as the best: among many
        // equal records, each still finds one not yet taken.
        let best = mine.first().map(|p| p.0);
        let ties = mine.iter().take_while(|p| Some(p.0) == best).count();
        mine.truncate(ties.max(KEPT));
        pairs.extend(mine);
    }
    pairs.sort_by(by_score);
    let (mut used_a, mut used_b) = (vec![false; a.len()], vec![false; nb]);
    let mut chosen: Vec<(usize, usize)> = Vec::new();
    for (_, i, j) in pairs {
        if !used_a[i] && !used_b[j] {
            used_a[i] = true;
            used_b[j] = true;
            chosen.push((i, j));
        }
    }
    chosen.sort_unstable();
    chosen
}

fn by_score(p: &(Score, usize, usize), q: &(Score, usize, usize)) -> std::cmp::Ordering {
    (q.0.0.total_cmp(&p.0.0))
        .then(q.0.1.total_cmp(&p.0.1))
        .then((p.1, p.2).cmp(&(q.1, q.2)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn likeness(a: &str, b: &str) -> f64 {
        let mut v = Vocabulary::default();
        overlap(&v.ids(a), &v.ids(b))
    }

    #[test]
    fn likeness_needs_shared_meaning() {
        assert!(
            likeness(
                "Loss of key warehouse engineers",
                "Key engineers leave the warehouse team"
            ) >= 0.5
        );
        assert_eq!(likeness("Fuel price rise", "Cyber attack on the WMS"), 0.0);
        assert_eq!(likeness("the and for", "the and for"), 0.0);
    }

    fn bags(v: &mut Vocabulary, texts: &[&str]) -> Vec<Vec<u32>> {
        texts.iter().map(|t| v.ids(t)).collect()
    }

    #[test]
    fn a_small_register_is_compared_pair_by_pair() {
        let mut v = Vocabulary::default();
        let a = bags(&mut v, &["supplier delay depot", "driver shortage peak"]);
        let b = bags(
            &mut v,
            &[
                "peak driver shortage",
                "depot supplier delay",
                "cyber attack",
            ],
        );
        let mut index = Index::new(b.iter().map(|w| (w.as_slice(), w.as_slice())), v.len());
        let keyed: Vec<(&[u32], &[u32])> = a.iter().map(|w| (&w[..], &w[..])).collect();
        let pairs = one_to_one(&keyed, &mut index, b.len(), |i, j| {
            (overlap(&a[i], &b[j]), jaccard(&a[i], &b[j]))
        });
        assert_eq!(pairs, vec![(0, 1), (1, 0)]);
    }

    /// The first `n` sets of six words out of 24, in order.
    fn combinations(n: usize) -> Vec<String> {
        let mut c: Vec<usize> = (0..6).collect();
        let mut out = Vec::new();
        while out.len() < n {
            out.push(
                c.iter()
                    .map(|k| format!("w{k:02}x"))
                    .collect::<Vec<_>>()
                    .join(" "),
            );
            // The next combination: raise the last index that can rise.
            let mut i = 5;
            while c[i] == 24 - 6 + i {
                i -= 1;
            }
            c[i] += 1;
            for k in i + 1..6 {
                c[k] = c[k - 1] + 1;
            }
        }
        out
    }

    #[test]
    fn thousands_of_alike_records_are_paired_with_their_twins() {
        // Every word is in hundreds of records; only the whole set of words
        // tells a record from the others.
        let n = 5000;
        let texts = combinations(n);
        let mut v = Vocabulary::default();
        let a: Vec<Vec<u32>> = texts.iter().map(|t| v.ids(t)).collect();
        let b: Vec<Vec<u32>> = texts.iter().rev().map(|t| v.ids(t)).collect();
        let compared = std::cell::Cell::new(0);
        let score = |i: usize, j: usize| {
            compared.set(compared.get() + 1);
            (overlap(&a[i], &b[j]), jaccard(&a[i], &b[j]))
        };
        // Keyed by all their words: each finds its twin at once.
        let mut index = Index::new(b.iter().map(|w| (w.as_slice(), w.as_slice())), v.len());
        let keyed: Vec<(&[u32], &[u32])> = a.iter().map(|w| (&w[..], &w[..])).collect();
        let pairs = one_to_one(&keyed, &mut index, n, score);
        assert_eq!(pairs.len(), n);
        assert!(pairs.iter().all(|&(i, j)| a[i] == b[j]), "twins");
        assert_eq!(compared.get(), n);
        // With no key, each is compared with at most BUDGET others.
        compared.set(0);
        let mut index = Index::new(b.iter().map(|w| (w.as_slice(), &[][..])), v.len());
        let unkeyed: Vec<(&[u32], &[u32])> = a.iter().map(|w| (&w[..], &[][..])).collect();
        let pairs = one_to_one(&unkeyed, &mut index, n, score);
        assert!(!pairs.is_empty());
        assert!(compared.get() <= n * BUDGET);
    }
}
