//! Conditions of `rules` nodes: `F2 && (F3 || F4)`, `!F1`, `nr(F4)`, `violations >= 13`.
//!
//! A small language on purpose: published methods state their gated rules as yes/no
//! combinations of questions and thresholds, and a definition file must stay readable by the
//! people who defend the numbers. An identifier is true when its value is present and above 0;
//! a missing or not-relevant answer is false, `nr(X)` asks for not-relevant and `answered(X)`
//! for any answer at all.
//!
//! A parsed condition is at most [`MAX_DEPTH`] levels deep, so every recursive walk over it
//! (resolving, evaluating, printing, dropping) stays far from the end of the stack, whatever
//! a definition file holds.

use std::fmt;

/// The deepest a condition may be: parentheses and `!` nested in each other, and the tree of
/// operators a condition parses into (`A && B && C` is two levels), each count at most this.
pub const MAX_DEPTH: usize = 64;

fn too_deep() -> String {
    format!("nested too deeply (at most {MAX_DEPTH} levels of parentheses, `!` and operators)")
}

#[derive(Debug, Clone, PartialEq)]
pub enum Expr<R> {
    Ref(R),
    Number(f64),
    NotRelevant(R),
    Answered(R),
    Not(Box<Expr<R>>),
    And(Box<Expr<R>>, Box<Expr<R>>),
    Or(Box<Expr<R>>, Box<Expr<R>>),
    Compare(Box<Expr<R>>, CompareOp, Box<Expr<R>>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl fmt::Display for CompareOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CompareOp::Eq => "==",
            CompareOp::Ne => "!=",
            CompareOp::Lt => "<",
            CompareOp::Le => "<=",
            CompareOp::Gt => ">",
            CompareOp::Ge => ">=",
        })
    }
}

/// What a reference evaluates to while a condition is checked.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Operand {
    Value(f64),
    NotRelevant,
    Missing,
}

impl<R: Clone> Expr<R> {
    /// Replaces every reference, failing on the first one `f` rejects.
    pub fn resolve<S, E>(&self, f: &mut impl FnMut(&R) -> Result<S, E>) -> Result<Expr<S>, E> {
        Ok(match self {
            Expr::Ref(r) => Expr::Ref(f(r)?),
            Expr::Number(n) => Expr::Number(*n),
            Expr::NotRelevant(r) => Expr::NotRelevant(f(r)?),
            Expr::Answered(r) => Expr::Answered(f(r)?),
            Expr::Not(e) => Expr::Not(Box::new(e.resolve(f)?)),
            Expr::And(a, b) => Expr::And(Box::new(a.resolve(f)?), Box::new(b.resolve(f)?)),
            Expr::Or(a, b) => Expr::Or(Box::new(a.resolve(f)?), Box::new(b.resolve(f)?)),
            Expr::Compare(a, op, b) => {
                Expr::Compare(Box::new(a.resolve(f)?), *op, Box::new(b.resolve(f)?))
            }
        })
    }

    /// Every reference, in reading order.
    pub fn refs(&self, out: &mut Vec<R>) {
        match self {
            Expr::Ref(r) | Expr::NotRelevant(r) | Expr::Answered(r) => out.push(r.clone()),
            Expr::Number(_) => {}
            Expr::Not(e) => e.refs(out),
            Expr::And(a, b) | Expr::Or(a, b) | Expr::Compare(a, _, b) => {
                a.refs(out);
                b.refs(out);
            }
        }
    }

    pub fn truth(&self, value: &impl Fn(&R) -> Operand) -> bool {
        match self {
            Expr::Ref(r) => matches!(value(r), Operand::Value(v) if v > 0.0),
            Expr::Number(n) => *n > 0.0,
            Expr::NotRelevant(r) => value(r) == Operand::NotRelevant,
            Expr::Answered(r) => value(r) != Operand::Missing,
            Expr::Not(e) => !e.truth(value),
            Expr::And(a, b) => a.truth(value) && b.truth(value),
            Expr::Or(a, b) => a.truth(value) || b.truth(value),
            Expr::Compare(a, op, b) => match (a.number(value), b.number(value)) {
                (Some(x), Some(y)) => match op {
                    CompareOp::Eq => x == y,
                    CompareOp::Ne => x != y,
                    CompareOp::Lt => x < y,
                    CompareOp::Le => x <= y,
                    CompareOp::Gt => x > y,
                    CompareOp::Ge => x >= y,
                },
                // A comparison with an unanswered question is unknown, hence not met.
                _ => false,
            },
        }
    }

    fn number(&self, value: &impl Fn(&R) -> Operand) -> Option<f64> {
        match self {
            Expr::Number(n) => Some(*n),
            Expr::Ref(r) => match value(r) {
                Operand::Value(v) => Some(v),
                _ => None,
            },
            other => Some(if other.truth(value) { 1.0 } else { 0.0 }),
        }
    }
}

impl<R: fmt::Display> fmt::Display for Expr<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Ref(r) => write!(f, "{r}"),
            Expr::Number(n) => write!(f, "{n}"),
            Expr::NotRelevant(r) => write!(f, "nr({r})"),
            Expr::Answered(r) => write!(f, "answered({r})"),
            Expr::Not(e) => write!(f, "!{e}"),
            Expr::And(a, b) => write!(f, "({a} && {b})"),
            Expr::Or(a, b) => write!(f, "({a} || {b})"),
            Expr::Compare(a, op, b) => write!(f, "{a} {op} {b}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Ident(String),
    Number(f64),
    And,
    Or,
    Not,
    Open,
    Close,
    Op(CompareOp),
}

fn tokens(text: &str) -> Result<Vec<Token>, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match c {
            ' ' | '\t' | '\n' | '\r' => i += 1,
            '(' => {
                out.push(Token::Open);
                i += 1;
            }
            ')' => {
                out.push(Token::Close);
                i += 1;
            }
            '&' if next == Some('&') => {
                out.push(Token::And);
                i += 2;
            }
            '|' if next == Some('|') => {
                out.push(Token::Or);
                i += 2;
            }
            '!' if next == Some('=') => {
                out.push(Token::Op(CompareOp::Ne));
                i += 2;
            }
            '!' => {
                out.push(Token::Not);
                i += 1;
            }
            '=' if next == Some('=') => {
                out.push(Token::Op(CompareOp::Eq));
                i += 2;
            }
            '<' | '>' => {
                let eq = next == Some('=');
                out.push(Token::Op(match (c, eq) {
                    ('<', true) => CompareOp::Le,
                    ('<', false) => CompareOp::Lt,
                    (_, true) => CompareOp::Ge,
                    _ => CompareOp::Gt,
                }));
                i += if eq { 2 } else { 1 };
            }
            c if c.is_ascii_digit() => {
                let start = i;
                while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                    i += 1;
                }
                let s: String = chars[start..i].iter().collect();
                let n = s.parse().map_err(|_| format!("`{s}` is not a number"))?;
                out.push(Token::Number(n));
            }
            c if c.is_alphanumeric() || c == '_' => {
                let start = i;
                while i < chars.len()
                    && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '.')
                {
                    i += 1;
                }
                out.push(Token::Ident(chars[start..i].iter().collect()));
            }
            other => return Err(format!("unexpected `{other}`")),
        }
    }
    Ok(out)
}

/// Parses a condition; references stay as the names written. A condition deeper than
/// [`MAX_DEPTH`] is refused.
pub fn parse(text: &str) -> Result<Expr<String>, String> {
    let toks = tokens(text)?;
    if toks.is_empty() {
        return Err("empty condition".into());
    }
    let mut p = Parser {
        toks,
        at: 0,
        nesting: 0,
    };
    let (e, _) = p.or()?;
    if p.at < p.toks.len() {
        return Err(format!(
            "unexpected {:?} after a complete condition",
            p.toks[p.at]
        ));
    }
    Ok(e)
}

struct Parser {
    toks: Vec<Token>,
    at: usize,
    /// Parentheses and `!` open around the token being read: the parser's own recursion.
    nesting: usize,
}

/// A parsed part and the depth of its tree (a reference is 1).
type Part = Result<(Expr<String>, usize), String>;

/// An operator node over parts `depth - 1` deep, refused beyond [`MAX_DEPTH`].
fn node(e: Expr<String>, depth: usize) -> Part {
    if depth > MAX_DEPTH {
        return Err(too_deep());
    }
    Ok((e, depth))
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.toks.get(self.at)
    }

    fn next(&mut self) -> Option<Token> {
        let t = self.toks.get(self.at).cloned();
        self.at += 1;
        t
    }

    fn or(&mut self) -> Part {
        let (mut left, mut depth) = self.and()?;
        while self.peek() == Some(&Token::Or) {
            self.at += 1;
            let (right, d) = self.and()?;
            (left, depth) = node(Expr::Or(Box::new(left), Box::new(right)), 1 + depth.max(d))?;
        }
        Ok((left, depth))
    }

    fn and(&mut self) -> Part {
        let (mut left, mut depth) = self.compare()?;
        while self.peek() == Some(&Token::And) {
            self.at += 1;
            let (right, d) = self.compare()?;
            (left, depth) = node(Expr::And(Box::new(left), Box::new(right)), 1 + depth.max(d))?;
        }
        Ok((left, depth))
    }

    fn compare(&mut self) -> Part {
        let (left, depth) = self.unary()?;
        if let Some(Token::Op(op)) = self.peek().cloned() {
            self.at += 1;
            let (right, d) = self.unary()?;
            return node(
                Expr::Compare(Box::new(left), op, Box::new(right)),
                1 + depth.max(d),
            );
        }
        Ok((left, depth))
    }

    /// Reads what follows a `(` or `!`, one level deeper.
    fn nested(&mut self, read: impl FnOnce(&mut Self) -> Part) -> Part {
        if self.nesting >= MAX_DEPTH {
            return Err(too_deep());
        }
        self.nesting += 1;
        let part = read(self);
        self.nesting -= 1;
        part
    }

    fn unary(&mut self) -> Part {
        match self.next() {
            Some(Token::Not) => {
                let (e, depth) = self.nested(Self::unary)?;
                node(Expr::Not(Box::new(e)), depth + 1)
            }
            Some(Token::Open) => {
                let e = self.nested(Self::or)?;
                match self.next() {
                    Some(Token::Close) => Ok(e),
                    _ => Err("a `(` is not closed".into()),
                }
            }
            Some(Token::Number(n)) => Ok((Expr::Number(n), 1)),
            Some(Token::Ident(name)) if self.peek() == Some(&Token::Open) => {
                self.at += 1;
                let arg = match self.next() {
                    Some(Token::Ident(arg)) => arg,
                    _ => return Err(format!("`{name}(` needs a question name")),
                };
                if self.next() != Some(Token::Close) {
                    return Err(format!("`{name}({arg}` is not closed"));
                }
                match name.as_str() {
                    "nr" => Ok((Expr::NotRelevant(arg), 1)),
                    "answered" => Ok((Expr::Answered(arg), 1)),
                    other => Err(format!("unknown function `{other}` (known: nr, answered)")),
                }
            }
            Some(Token::Ident(name)) => Ok((Expr::Ref(name), 1)),
            Some(t) => Err(format!("unexpected {t:?}")),
            None => Err("the condition ends too early".into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(text: &str, vals: &[(&str, Operand)]) -> bool {
        let e = parse(text).expect("parses");
        e.truth(&|r: &String| {
            vals.iter()
                .find(|(n, _)| n == r)
                .map(|(_, v)| *v)
                .unwrap_or(Operand::Missing)
        })
    }

    #[test]
    fn precedence_and_negation() {
        let yes = Operand::Value(100.0);
        let no = Operand::Value(0.0);
        assert!(eval("F2 && (F3 || F4)", &[("F2", yes), ("F4", yes)]));
        assert!(!eval("F2 && (F3 || F4)", &[("F2", yes), ("F3", no)]));
        assert!(eval("A || B && C", &[("A", yes)]));
        assert!(eval("!F1", &[("F1", no)]));
        assert!(eval("!F1", &[]), "a missing answer is not true");
        assert!(eval(
            "nr(F4) && F2",
            &[("F4", Operand::NotRelevant), ("F2", yes)]
        ));
        assert!(!eval("answered(F4)", &[]));
    }

    #[test]
    fn comparisons_need_an_answer() {
        assert!(eval("v >= 13", &[("v", Operand::Value(13.0))]));
        assert!(!eval("v >= 13", &[("v", Operand::Value(12.0))]));
        assert!(!eval("v < 13", &[]), "unknown is not met");
        assert!(eval("v != 2", &[("v", Operand::Value(3.0))]));
    }

    #[test]
    fn errors_say_what_is_wrong() {
        assert!(parse("").is_err());
        assert!(
            parse("(A && B")
                .expect_err("refused")
                .contains("not closed")
        );
        assert!(parse("A &&").expect_err("refused").contains("too early"));
        assert!(
            parse("max(A)")
                .expect_err("refused")
                .contains("unknown function")
        );
        assert!(
            parse("A B")
                .expect_err("refused")
                .contains("after a complete")
        );
        assert!(
            parse("A # B")
                .expect_err("refused")
                .contains("unexpected `#`")
        );
    }

    /// Defect 15: ten thousand nested parentheses overflowed the stack (exit 134).
    #[test]
    fn deep_nesting_is_refused_not_a_crash() {
        let deep =
            |n: usize, open: &str, close: &str| format!("{}A{}", open.repeat(n), close.repeat(n));
        for text in [
            deep(10_000, "(", ")"),
            deep(100_000, "(", ""),
            deep(10_000, "!", ""),
            deep(5_000, "!(", ")"),
            vec!["A"; 10_000].join(" && "),
            vec!["A"; 10_000].join(" || "),
            format!("{} > 1", vec!["A"; 100].join(" && ")),
        ] {
            let e = parse(&text).expect_err("refused");
            assert!(e.contains("nested too deeply"), "{e}");
        }
        // The limit itself is allowed, and evaluates.
        let at_limit = deep(MAX_DEPTH, "(", ")");
        assert!(eval(&at_limit, &[("A", Operand::Value(1.0))]));
        let nots = deep(MAX_DEPTH - 1, "!", "");
        assert_eq!(nots.matches('!').count() % 2, 1);
        assert!(eval(&nots, &[]), "an odd number of ! over false");
        let chain = vec!["A"; MAX_DEPTH].join(" && ");
        assert!(eval(&chain, &[("A", Operand::Value(1.0))]));
        assert!(parse(&vec!["A"; MAX_DEPTH + 2].join(" && ")).is_err());
    }
}
