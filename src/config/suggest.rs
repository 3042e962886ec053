//! "Did you mean ...?" for misspelt keys, names and parameter paths: a
//! planner who types `atrition` should be told `attrition`, not only be shown
//! the list to search by eye.

/// Edit distance between two strings: insertions, deletions, substitutions
/// and swaps of two neighbouring characters each cost 1 (optimal string
/// alignment), so `senoir` is one edit from `senior`.
pub fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // Three rows suffice: a swap looks back two rows.
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(before[j - 2] + 1);
            }
            cur[j] = d;
        }
        std::mem::swap(&mut before, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// Longest word or candidate compared: names are at most 64 characters.
const MAX_LEN: usize = 100;

/// The candidate `word` was most likely meant to be, if one is close enough to
/// be a typo: at most one edit for short words, up to three for long ones
/// (case is ignored). Ties go to the earlier candidate, so the answer does not
/// depend on anything but the order the config lists its names in.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = word.to_lowercase();
    let len = word.chars().count();
    let allowed = (len / 3).clamp(1, 3);
    // The distance costs length x length: a pasted paragraph gets no suggestion.
    if len > MAX_LEN {
        return None;
    }
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        if c == word {
            return None;
        }
        let c_len = c.chars().count();
        if c_len > MAX_LEN || c_len.abs_diff(len) > allowed {
            continue;
        }
        let d = distance(&lower, &c.to_lowercase());
        if d <= allowed && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// ` (did you mean 'x'?)` when a close candidate exists, else nothing; for
/// splicing into a message right after the misspelt word.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    closest(word, candidates)
        .map(|c| format!(" (did you mean '{c}'?)"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_counts_each_kind_of_edit_once() {
        assert_eq!(distance("attrition", "attrition"), 0);
        assert_eq!(distance("atrition", "attrition"), 1, "deletion");
        assert_eq!(distance("attriition", "attrition"), 1, "insertion");
        assert_eq!(distance("attritoon", "attrition"), 1, "substitution");
        assert_eq!(distance("senoir", "senior"), 1, "swap");
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("abc", ""), 3);
        assert_eq!(distance("kitten", "sitting"), 3);
    }

    #[test]
    fn closest_suggests_typos_only() {
        let levels = ["basic", "intermediate", "advanced"];
        assert_eq!(closest("basci", levels), Some("basic"));
        assert_eq!(closest("Advanced", levels), Some("advanced"));
        assert_eq!(closest("intermedate", levels), Some("intermediate"));
        assert_eq!(closest("nobody", levels), None);
        assert_eq!(closest("zz", ["a"]), None);
        assert_eq!(closest("basic", levels), None, "an exact match is no typo");
        assert_eq!(closest("ab", ["ac", "ad"]), Some("ac"), "ties: first");
        let long = "x".repeat(200_000);
        assert_eq!(
            closest(&long, [long.as_str()]),
            None,
            "quick for huge names"
        );
        assert_eq!(closest(&long[1..], [long.as_str()]), None);
    }
}
