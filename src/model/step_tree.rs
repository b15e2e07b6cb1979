//! The step tree as the API describes it: steps point at their parent by `parent_path`, and
//! paths (`1.0.2`) order numerically. Pure functions over [`StepSummary`] lists, for `thread
//! steps` (the tree view, and the "steps nearby" hint for a path that does not exist). Whatever a
//! server sends, a step is never lost or repeated, and no recursion follows its parents.

use std::collections::{BTreeMap, BTreeSet};

use super::StepSummary;

/// Orders steps depth-first from `parent_path`, children by path, with their depth. Steps whose
/// parent is missing are roots; a parent loop cannot hide or repeat a step.
pub fn tree_order(steps: &[StepSummary]) -> Vec<(usize, &StepSummary)> {
    let paths: BTreeSet<&str> = steps.iter().map(|s| s.step_path.as_str()).collect();
    let mut children: BTreeMap<&str, Vec<&StepSummary>> = BTreeMap::new();
    let mut roots = Vec::new();
    for step in steps {
        if step.parent_path.is_empty()
            || step.parent_path == step.step_path
            || !paths.contains(step.parent_path.as_str())
        {
            roots.push(step);
        } else {
            children
                .entry(step.parent_path.as_str())
                .or_default()
                .push(step);
        }
    }
    let by_path =
        |a: &&StepSummary, b: &&StepSummary| path_key(&a.step_path).cmp(&path_key(&b.step_path));
    roots.sort_by(by_path);
    for list in children.values_mut() {
        list.sort_by(by_path);
    }
    let mut out = Vec::with_capacity(steps.len());
    let mut seen: BTreeSet<*const StepSummary> = BTreeSet::new();
    // Depth-first with a stack of its own rather than recursion: a server can send a chain of
    // parents as deep as it likes, and the call stack is only a few MiB.
    fn walk<'a>(
        root: &'a StepSummary,
        children: &BTreeMap<&str, Vec<&'a StepSummary>>,
        seen: &mut BTreeSet<*const StepSummary>,
        out: &mut Vec<(usize, &'a StepSummary)>,
    ) {
        let mut stack = vec![(0, root)];
        while let Some((depth, step)) = stack.pop() {
            if !seen.insert(step as *const _) {
                continue;
            }
            out.push((depth, step));
            // Reversed, so the first child is taken next.
            let kids = children.get(step.step_path.as_str()).into_iter().flatten();
            stack.extend(kids.rev().map(|child| (depth + 1, *child)));
        }
    }
    for root in roots {
        walk(root, &children, &mut seen, &mut out);
    }
    // Steps caught in a parent loop: shown at the top level rather than lost.
    for step in steps {
        walk(step, &children, &mut seen, &mut out);
    }
    out
}

/// Sorts `1.10` after `1.9`: numeric components first, text after.
fn path_key(path: &str) -> Vec<(u64, String)> {
    path.split('.')
        .map(|part| match part.parse::<u64>() {
            Ok(n) => (n, String::new()),
            Err(_) => (u64::MAX, part.to_string()),
        })
        .collect()
}

/// Paths that exist near `path`: its parent, siblings and children; else the top level.
pub fn nearby<'a>(steps: &'a [StepSummary], path: &str) -> Vec<&'a str> {
    const MOST: usize = 12;
    let parent = path.rsplit_once('.').map_or("", |(p, _)| p);
    let child_prefix = format!("{path}.");
    let mut near: Vec<&str> = steps
        .iter()
        .map(|s| s.step_path.as_str())
        .filter(|p| {
            *p == parent
                || p.rsplit_once('.').map_or("", |(q, _)| q) == parent
                || p.starts_with(&child_prefix)
        })
        .collect();
    if near.is_empty() {
        near = steps
            .iter()
            .filter(|s| s.parent_path.is_empty())
            .map(|s| s.step_path.as_str())
            .collect();
    }
    near.sort_by_key(|p| path_key(p));
    near.dedup();
    near.truncate(MOST);
    near
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(path: &str, parent: &str) -> StepSummary {
        StepSummary {
            step_path: path.into(),
            parent_path: parent.into(),
            ..StepSummary::default()
        }
    }

    #[test]
    fn tree_is_depth_first_with_numeric_order_and_survives_loops() {
        let steps = vec![
            s("2", ""),
            s("1.10", "1"),
            s("1", ""),
            s("1.9", "1"),
            s("1.9.0", "1.9"),
            s("7", "6"), // parent missing: a root
            s("8", "9"), // a loop
            s("9", "8"),
        ];
        let order: Vec<(usize, &str)> = tree_order(&steps)
            .into_iter()
            .map(|(d, s)| (d, s.step_path.as_str()))
            .collect();
        assert_eq!(
            order,
            vec![
                (0, "1"),
                (1, "1.9"),
                (2, "1.9.0"),
                (1, "1.10"),
                (0, "2"),
                (0, "7"),
                (0, "8"),
                (1, "9"),
            ]
        );
    }

    #[test]
    fn a_very_deep_parent_chain_does_not_overflow_the_stack() {
        // Recursing once per level overflowed a 2 MiB test-thread stack long before this depth.
        const DEPTH: usize = 200_000;
        let steps: Vec<StepSummary> = (0..DEPTH)
            .map(|i| {
                let parent = if i == 0 {
                    String::new()
                } else {
                    (i - 1).to_string()
                };
                s(&i.to_string(), &parent)
            })
            .collect();
        let order = tree_order(&steps);
        assert_eq!(order.len(), DEPTH);
        for (n, (depth, step)) in order.iter().enumerate() {
            assert_eq!(
                (*depth, step.step_path.as_str()),
                (n, n.to_string().as_str())
            );
        }
    }

    #[test]
    fn nearby_paths() {
        let steps = vec![s("1", ""), s("1.0", "1"), s("1.1", "1"), s("2", "")];
        assert_eq!(nearby(&steps, "1.5"), vec!["1", "1.0", "1.1"]);
        assert_eq!(nearby(&steps, "9.9.9"), vec!["1", "2"]);
        assert_eq!(nearby(&steps, "3"), vec!["1", "2"]);
    }
}
