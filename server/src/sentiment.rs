//! Lexicon-based Vietnamese negative-sentiment check for inbound customer messages
//! (SPEC.md NOTI `response.negative`).
//!
//! Messages are matched with and without diacritics: words are compared folded
//! ("that vong" = "thất vọng"), but a word that carries diacritics must carry the same
//! marks as the lexicon's ("tế" in "kinh tế" is not "tệ", "kèm" is not "kém").
//! A negator up to two words before a term, in the same clause, flips it: "không tệ"
//! is not a complaint, "không hài lòng" is.

use std::sync::LazyLock;

use unicode_normalization::UnicodeNormalization;

use crate::crypto::blind::fold;

/// A message's score (sum of the weights of matched terms) and the terms matched,
/// as the lexicon spells them.
#[derive(Debug, Clone, PartialEq)]
pub struct Sentiment {
    pub score: f32,
    pub terms: Vec<String>,
}

impl Sentiment {
    /// At or above this score a message counts as a negative response.
    pub const THRESHOLD: f32 = 1.0;

    pub fn is_negative(&self) -> bool {
        self.score >= Self::THRESHOLD
    }
}

/// Negators, folded ("ko", "k", "hok" are how people type "không").
const NEGATORS: &[&str] = &[
    "khong", "ko", "k", "kg", "khg", "hok", "hong", "chang", "cha", "chua",
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Polarity {
    /// A complaint unless negated ("tệ").
    Negative,
    /// A complaint only when negated ("hài lòng" → "không hài lòng").
    Positive,
}

struct Entry {
    phrase: &'static str,
    weight: f32,
    polarity: Polarity,
    /// Folded words which, right before the term, mean something else ("kinh" + "te").
    not_after: &'static [&'static str],
    /// Folded words which, right after the term, mean something else ("kem" + "theo").
    not_before: &'static [&'static str],
    /// Too ambiguous without diacritics ("dở" vs "do", "tồi" vs "tôi").
    accented_only: bool,
}

const fn neg(phrase: &'static str, weight: f32) -> Entry {
    Entry {
        phrase,
        weight,
        polarity: Polarity::Negative,
        not_after: &[],
        not_before: &[],
        accented_only: false,
    }
}

const fn pos(phrase: &'static str, weight: f32) -> Entry {
    Entry {
        polarity: Polarity::Positive,
        ..neg(phrase, weight)
    }
}

const LEXICON: &[Entry] = &[
    neg("lừa đảo", 2.0),
    neg("lừa gạt", 2.0),
    neg("bị lừa", 2.0),
    neg("tố cáo", 2.0),
    neg("hủy hợp đồng", 2.0),
    neg("đòi lại tiền", 2.0),
    neg("trả lại tiền", 1.5),
    neg("hoàn tiền", 1.0),
    neg("khiếu nại", 1.5),
    neg("thất vọng", 1.5),
    neg("vô trách nhiệm", 1.5),
    neg("quá tệ", 1.5),
    neg("tệ hại", 1.5),
    Entry {
        not_after: &["kinh", "y", "quoc", "thuc", "tien", "ngoai"],
        ..neg("tệ", 1.0)
    },
    neg("bực mình", 1.0),
    neg("bực", 1.0),
    neg("tức giận", 1.0),
    Entry {
        not_after: &["tiep", "lien", "lap", "thu", "phong", "thuong"],
        not_before: &["thi", "khac", "la"],
        ..neg("tức", 1.0)
    },
    neg("phàn nàn", 1.0),
    neg("chậm quá", 1.0),
    neg("quá chậm", 1.0),
    neg("chậm trễ", 1.0),
    neg("cẩu thả", 1.0),
    Entry {
        not_after: &["gui", "dinh", "di", "an", "que"],
        not_before: &["theo"],
        ..neg("kém", 1.0)
    },
    Entry {
        accented_only: true,
        ..neg("tồi", 1.0)
    },
    Entry {
        accented_only: true,
        ..neg("dở", 1.0)
    },
    Entry {
        accented_only: true,
        ..neg("chán", 1.0)
    },
    // The first word stands for any negator: "chưa trả lời", "ko nghe máy".
    neg("không trả lời", 1.0),
    neg("không ai trả lời", 1.0),
    neg("không nghe máy", 1.0),
    neg("không phản hồi", 1.0),
    neg("không liên lạc được", 1.0),
    pos("hài lòng", 1.0),
    pos("chuyên nghiệp", 1.5),
    pos("uy tín", 1.5),
    pos("tốt", 1.0),
    pos("ổn", 1.0),
    pos("nhiệt tình", 1.0),
    pos("tận tâm", 1.0),
    pos("đúng hẹn", 1.0),
];

/// One word of a message or of the lexicon.
#[derive(Debug, Clone)]
struct Word {
    folded: String,
    /// Diacritic marks (sorted), so "hủy" and "huỷ" agree whatever their placement.
    marks: Vec<char>,
}

impl Word {
    fn new(raw: &str) -> Self {
        let mut marks: Vec<char> = raw
            .nfd()
            .filter(|c| ('\u{300}'..='\u{36f}').contains(c) || matches!(c, 'đ' | 'Đ'))
            .map(|c| if c == 'Đ' { 'đ' } else { c })
            .collect();
        marks.sort_unstable();
        Self {
            folded: fold(raw),
            marks,
        }
    }

    fn is_negator(&self) -> bool {
        NEGATORS.contains(&self.folded.as_str())
    }

    /// Whether this message word can be the lexicon word `term`.
    fn fits(&self, term: &Word, accented_only: bool) -> bool {
        if self.folded != term.folded {
            return false;
        }
        if self.marks.is_empty() {
            !accented_only || term.marks.is_empty()
        } else {
            self.marks == term.marks
        }
    }
}

struct Term {
    entry: &'static Entry,
    words: Vec<Word>,
    /// The phrase starts with a negator, which any negator may stand for.
    negated_phrase: bool,
}

/// The lexicon split into words, longest phrases first so "quá tệ" wins over "tệ".
static TERMS: LazyLock<Vec<Term>> = LazyLock::new(|| {
    let mut terms: Vec<Term> = LEXICON
        .iter()
        .map(|entry| {
            let words: Vec<Word> = entry.phrase.split(' ').map(Word::new).collect();
            Term {
                entry,
                negated_phrase: words.first().is_some_and(Word::is_negator),
                words,
            }
        })
        .collect();
    terms.sort_by_key(|t| std::cmp::Reverse(t.words.len()));
    terms
});

/// Clauses (split at punctuation, where negation stops) of words.
fn clauses(text: &str) -> Vec<Vec<Word>> {
    let text: String = text.nfc().collect();
    text.split(['.', ',', '!', '?', ';', ':', '\n', '…'])
        .map(|clause| {
            clause
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(Word::new)
                .collect::<Vec<_>>()
        })
        .filter(|words| !words.is_empty())
        .collect()
}

impl Term {
    fn matches_at(&self, clause: &[Word], at: usize) -> bool {
        let Some(window) = clause.get(at..at + self.words.len()) else {
            return false;
        };
        let fits = window
            .iter()
            .zip(&self.words)
            .enumerate()
            .all(|(i, (w, t))| {
                if i == 0 && self.negated_phrase {
                    w.is_negator()
                } else {
                    w.fits(t, self.entry.accented_only)
                }
            });
        if !fits {
            return false;
        }
        let before = at.checked_sub(1).and_then(|i| clause.get(i));
        let after = clause.get(at + self.words.len());
        !before.is_some_and(|w| self.entry.not_after.contains(&w.folded.as_str()))
            && !after.is_some_and(|w| self.entry.not_before.contains(&w.folded.as_str()))
    }
}

/// Scores one message.
pub fn analyse(text: &str) -> Sentiment {
    let mut score = 0.0;
    let mut terms: Vec<String> = Vec::new();
    for clause in clauses(text) {
        let mut used = vec![false; clause.len()];
        let mut hits: Vec<(usize, String, f32)> = Vec::new();
        for term in TERMS.iter() {
            let len = term.words.len();
            for at in 0..clause.len().saturating_sub(len - 1) {
                if used[at..at + len].iter().any(|u| *u) || !term.matches_at(&clause, at) {
                    continue;
                }
                used[at..at + len].iter_mut().for_each(|u| *u = true);
                let negated = !term.negated_phrase
                    && clause[at.saturating_sub(2)..at]
                        .iter()
                        .any(Word::is_negator);
                let hit = match (term.entry.polarity, negated) {
                    (Polarity::Negative, false) => Some(term.entry.phrase.to_owned()),
                    (Polarity::Positive, true) => Some(format!("không {}", term.entry.phrase)),
                    _ => None,
                };
                if let Some(hit) = hit {
                    hits.push((at, hit, term.entry.weight));
                }
            }
        }
        // Named in the order the customer wrote them.
        hits.sort_by_key(|(at, _, _)| *at);
        for (_, hit, weight) in hits {
            score += weight;
            if !terms.contains(&hit) {
                terms.push(hit);
            }
        }
    }
    Sentiment { score, terms }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn negative(text: &str) -> bool {
        analyse(text).is_negative()
    }

    #[test]
    fn complaints_are_negative_with_and_without_diacritics() {
        for text in [
            "Dịch vụ quá tệ",
            "dich vu qua te",
            "Tôi rất thất vọng",
            "toi rat that vong",
            "Công ty lừa đảo",
            "cong ty lua dao",
            "Tôi muốn hủy hợp đồng",
            "toi muon huy hop dong",
            "Tôi muốn huỷ hợp đồng",
            "Đòi lại tiền ngay",
            "doi lai tien",
            "Làm chậm quá",
            "lam cham qua",
            "Nhân viên không chuyên nghiệp",
            "nhan vien khong chuyen nghiep",
            "Tôi sẽ khiếu nại",
            "toi se khieu nai",
            "Rất bực mình",
            "buc that su",
            "Tức thật",
            "Chất lượng kém",
            "chat luong kem",
            "Tôi muốn phàn nàn",
            "Gọi mãi không trả lời",
            "goi mai ko tra loi",
            "Tôi không hài lòng",
            "toi khong hai long",
            "chưa hài lòng lắm",
        ] {
            assert!(negative(text), "{text}: {:?}", analyse(text));
        }
    }

    #[test]
    fn negated_complaints_and_neutral_or_happy_messages_are_not_negative() {
        for text in [
            "Dịch vụ không tệ",
            "dich vu khong te",
            "Không hề thất vọng",
            "Tôi rất hài lòng, cảm ơn",
            "toi rat hai long cam on",
            "Nhân viên chuyên nghiệp và nhiệt tình",
            "Cho tôi hỏi thủ tục thành lập công ty",
            "Tôi gửi kèm hồ sơ",
            "Chi phí kế toán, thuế và kinh tế",
            "Vui lòng liên hệ lập tức",
            "Tôi sẽ tiếp tục sử dụng dịch vụ",
            "toi se tiep tuc",
            "Số của tôi 0912345678",
            "Do tôi bận nên gọi lại sau",
            "",
            "!!!",
        ] {
            assert!(!negative(text), "{text}: {:?}", analyse(text));
        }
    }

    #[test]
    fn case_and_punctuation_do_not_matter_and_clauses_stop_negation() {
        assert!(negative("QUÁ TỆ!!!"));
        assert!(negative("Thất Vọng..."));
        assert!(negative("(lừa-đảo)"));
        // "không" belongs to the first clause; the second is a complaint.
        assert!(negative("Không sao, nhưng chậm quá"));
        assert!(negative("Tôi không biết. Tệ thật"));
    }

    #[test]
    fn the_score_adds_up_and_terms_are_named_as_the_lexicon_spells_them() {
        let result = analyse("Quá tệ, tôi thất vọng và sẽ khiếu nại, đòi lại tiền");
        assert_eq!(
            result.terms,
            ["quá tệ", "thất vọng", "khiếu nại", "đòi lại tiền"]
        );
        assert!((result.score - 6.5).abs() < f32::EPSILON);
        // The longer phrase is counted once, not again as "tệ".
        assert_eq!(analyse("quá tệ").terms, ["quá tệ"]);
        assert_eq!(analyse("ko hai long").terms, ["không hài lòng"]);
        assert_eq!(analyse("Cảm ơn").score, 0.0);
    }
}
