"""The formula language of computed columns: column names in double quotes, numbers, + - * / and
parentheses, and a few functions. Content arrives by pull request, so a formula is parsed here and
only the parsed tree ever reaches a spreadsheet (`downloads/excel_formulas.py` writes it out); any
other text is refused with what the language takes.

    "Actuals to date" + "Committed" + "Estimate to complete"
    IF("Approved budget" = 0, 0, "Variance" / "Approved budget")
    LEVEL("Probability") * LEVEL("Impact")
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

FUNCTIONS = {"MIN": (1, 30), "MAX": (1, 30), "ABS": (1, 1), "ROUND": (2, 2), "IF": (3, 3), "LEVEL": (1, 1)}
"""The functions a formula may call, with the fewest and most arguments each takes."""
COMPARISONS = ("<=", ">=", "<>", "=", "<", ">")
"""What an IF's condition may compare with; only there, so a column's value is always a number."""
LANGUAGE = (
    'column names in double quotes ("Approved budget"), numbers, + - * / ( ), '
    "and MIN, MAX, ABS, ROUND, IF (with = <> < <= > >= in its condition) and LEVEL"
)
"""What a formula may hold, for messages."""
MAX_LENGTH = 500
MAX_DEPTH = 20
"""Longer or deeper formulas are refused: nobody reads them, and a deep one costs the parser."""

_TOKEN = re.compile(
    r'\s*(?:(?P<name>"[^"\n]*")|(?P<number>[0-9]+(?:\.[0-9]+)?)|(?P<word>[A-Za-z]+)|(?P<op><=|>=|<>|[-+*/(),=<>]))'
)


class FormulaError(ValueError):
    """What is wrong with a formula, in a sentence for the person who wrote it."""


@dataclass(frozen=True)
class Column:
    """A reference to another column's cell in the same row."""

    name: str


@dataclass(frozen=True)
class Number:
    text: str
    """As written (`1.05`), so the spreadsheet gets exactly that."""


@dataclass(frozen=True)
class Unary:
    op: str
    operand: Node


@dataclass(frozen=True)
class Binary:
    op: str
    """`+ - * /` or, in an IF's condition only, a comparison."""
    left: Node
    right: Node


@dataclass(frozen=True)
class Call:
    function: str
    """One of FUNCTIONS."""
    args: tuple[Node, ...]


Node = Column | Number | Unary | Binary | Call


def parse(formula: str) -> Node:
    """The tree of `formula`, or FormulaError naming the first thing the language does not take."""
    if len(formula) > MAX_LENGTH:
        raise FormulaError(f"a formula is at most {MAX_LENGTH} characters; split the work over more columns")
    return _Parser(formula).whole()


def numbers(node: Node) -> Iterator[str]:
    """The names of the columns whose values `node` computes with, in order."""
    if isinstance(node, Column):
        yield node.name
    elif not (isinstance(node, Call) and node.function == "LEVEL"):
        for child in _children(node):
            yield from numbers(child)


def levelled(node: Node) -> Iterator[str]:
    """The names of the columns `node` takes the LEVEL of (choice columns), in order."""
    if isinstance(node, Call) and node.function == "LEVEL":
        yield from (arg.name for arg in node.args if isinstance(arg, Column))
    for child in _children(node):
        yield from levelled(child)


def read(node: Node) -> list[str]:
    """Every column `node` reads, each once, in order of first use."""
    return list(dict.fromkeys(_read(node)))


def _read(node: Node) -> Iterator[str]:
    if isinstance(node, Column):
        yield node.name
    for child in _children(node):
        yield from _read(child)


def _children(node: Node) -> tuple[Node, ...]:
    if isinstance(node, Unary):
        return (node.operand,)
    if isinstance(node, Binary):
        return (node.left, node.right)
    return node.args if isinstance(node, Call) else ()


_WORDS = {"*": "×", "/": "÷", "-": "−", "<>": "≠", "<=": "≤", ">=": "≥"}


def in_words(node: Node) -> str:
    """How a reader sees the formula on the template's page: `Actuals to date + Committed`."""
    if isinstance(node, Column):
        return node.name
    if isinstance(node, Number):
        return node.text
    if isinstance(node, Unary):
        return f"−{_wrapped(node.operand)}"
    if isinstance(node, Binary):
        left, right = operands(node, in_words)
        return f"{left} {_WORDS.get(node.op, node.op)} {right}"
    if node.function == "LEVEL":
        return f"level of {in_words(node.args[0])}"
    if node.function == "IF":
        condition, then, otherwise = (in_words(arg) for arg in node.args)
        return f"if {condition} then {then}, else {otherwise}"
    return f"{node.function.lower()}({', '.join(in_words(arg) for arg in node.args)})"


def _wrapped(node: Node) -> str:
    return f"({in_words(node)})" if isinstance(node, Binary) else in_words(node)


PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2}
"""How tightly each operator binds; comparisons, loosest, are 0."""


def operands(node: Binary, written: Callable[[Node], str]) -> tuple[str, str]:
    """Both sides of `node` as `written` writes them, each in brackets where it needs them."""
    left, right = written(node.left), written(node.right)
    return (
        f"({left})" if needs_brackets(node, node.left) else left,
        f"({right})" if needs_brackets(node, node.right, right=True) else right,
    )


def needs_brackets(parent: Binary, child: Node, *, right: bool = False) -> bool:
    """Whether `child`, written inside `parent`, needs brackets to keep its meaning: `a - (b + c)`."""
    if not isinstance(child, Binary):
        return False
    mine, theirs = PRECEDENCE.get(parent.op, 0), PRECEDENCE.get(child.op, 0)
    return theirs < mine or (right and theirs == mine and parent.op in "-/")


class _Parser:
    """Recursive descent over the grammar:

    formula    := sum
    sum        := product (("+" | "-") product)*
    product    := unary (("*" | "/") unary)*
    unary      := "-" unary | atom
    atom       := NUMBER | "NAME" | FUNCTION "(" arguments ")" | "(" sum ")"
    condition  := sum COMPARISON sum           (IF's first argument only)
    """

    def __init__(self, text: str):
        self.text = text
        self.tokens: list[tuple[str, str, int]] = []
        position = 0
        while position < len(text):
            found = _TOKEN.match(text, position)
            if found is None or found.lastgroup is None:
                if text[position:].strip() == "":
                    break
                at = position + len(text[position:]) - len(text[position:].lstrip())
                raise FormulaError(f"unexpected {text[at]!r} at position {at + 1}; a formula takes {LANGUAGE}")
            self.tokens.append((found.lastgroup, found.group(found.lastgroup), found.start(found.lastgroup)))
            position = found.end()
        self.index = 0
        self.depth = 0

    def whole(self) -> Node:
        if not self.tokens:
            raise FormulaError(f"the formula is empty; a formula takes {LANGUAGE}")
        node = self.sum()
        if self.index < len(self.tokens):
            self.fail()
        return node

    def peek(self) -> tuple[str, str, int] | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self, *values: str) -> str | None:
        token = self.peek()
        if token is not None and token[0] == "op" and token[1] in values:
            self.index += 1
            return token[1]
        return None

    def fail(self, expected: str = "") -> None:
        token = self.peek()
        where = f"{token[1]!r} at position {token[2] + 1}" if token else "the end of the formula"
        hint = f"expected {expected}" if expected else f"a formula takes {LANGUAGE}"
        raise FormulaError(f"unexpected {where}; {hint}")

    def sum(self) -> Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise FormulaError(f"the formula nests deeper than {MAX_DEPTH} levels; split it over more columns")
        node = self.product()
        while op := self.take("+", "-"):
            node = Binary(op, node, self.product())
        self.depth -= 1
        return node

    def product(self) -> Node:
        node = self.unary()
        while op := self.take("*", "/"):
            node = Binary(op, node, self.unary())
        return node

    def unary(self) -> Node:
        if self.take("-"):
            return Unary("-", self.unary())
        return self.atom()

    def atom(self) -> Node:
        token = self.peek()
        if token is None:
            self.fail("a column name, a number or '('")
            raise AssertionError  # fail() raises
        kind, value, position = token
        if kind == "number":
            self.index += 1
            return Number(value)
        if kind == "name":
            self.index += 1
            if not value.strip('"').strip():
                raise FormulaError(f'an empty column name "" at position {position + 1}')
            return Column(value[1:-1])
        if kind == "word":
            return self.call(value.upper(), position)
        if self.take("("):
            node = self.sum()
            if not self.take(")"):
                self.fail("')'")
            return node
        self.fail("a column name, a number or '('")
        raise AssertionError

    def call(self, function: str, position: int) -> Node:
        if function not in FUNCTIONS:
            names = ", ".join(FUNCTIONS)
            raise FormulaError(f"unknown function {function!r} at position {position + 1}; the functions are {names}")
        self.index += 1
        if not self.take("("):
            self.fail(f"'(' after {function}")
        args: list[Node] = [self.condition() if function == "IF" else self.sum()]
        while self.take(","):
            args.append(self.sum())
        if not self.take(")"):
            self.fail("',' or ')'")
        fewest, most = FUNCTIONS[function]
        if not fewest <= len(args) <= most:
            count = str(fewest) if fewest == most else f"{fewest} to {most}"
            raise FormulaError(f"{function} at position {position + 1} takes {count} arguments, not {len(args)}")
        if function == "LEVEL" and not isinstance(args[0], Column):
            raise FormulaError(f'LEVEL at position {position + 1} takes one column name, as LEVEL("Impact")')
        return Call(function, tuple(args))

    def condition(self) -> Node:
        left = self.sum()
        op = self.take(*COMPARISONS)
        if op is None:
            self.fail("a comparison (= <> < <= > >=) in the condition of IF")
            raise AssertionError
        return Binary(op, left, self.sum())
