"""mutants.py - the benchmark's fault generator: small mutations of Python source found with ast.

Every mutation is one edit of a span of the original text (an operator token, a constant, a
condition wrapped in "not (...)", a return value, a statement replaced by "pass"), so the rest of
the file stays byte for byte as it was; the result must parse and differ from the original.
"""
import ast
import bisect
import re

BINOPS = {
    ast.Add: ("+", "-"), ast.Sub: ("-", "+"), ast.Mult: ("*", "/"), ast.Div: ("/", "*"),
    ast.FloorDiv: ("//", "/"), ast.Mod: ("%", "//"), ast.Pow: ("**", "*"),
    ast.LShift: ("<<", ">>"), ast.RShift: (">>", "<<"), ast.BitAnd: ("&", "|"),
    ast.BitOr: ("|", "&"), ast.BitXor: ("^", "&"),
}
CMPOPS = {
    ast.Lt: ("<", "<="), ast.LtE: ("<=", "<"), ast.Gt: (">", ">="), ast.GtE: (">=", ">"),
    ast.Eq: ("==", "!="), ast.NotEq: ("!=", "=="), ast.Is: (r"is", "is not"),
    ast.IsNot: (r"is\s+not", "is"), ast.In: (r"in", "not in"), ast.NotIn: (r"not\s+in", "in"),
}
BOOLOPS = {ast.And: ("and", "or"), ast.Or: ("or", "and")}
DELETABLE = (ast.Expr, ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Delete, ast.Raise,
             ast.Assert)
KINDS = ("binop", "compare", "boolop", "negate", "constant", "return", "delete")


class Site:
    """One mutation: replace text[start:end] of PATH by NEW. LOC is where the code runs:
    module (module level), class (class body, method defaults and decorators included) or
    function; LINES are the original's lines it changes; SCOPE the enclosing function."""

    def __init__(self, path, kind, loc, scope, lines, start, end, new, what):
        self.path, self.kind, self.loc, self.scope = path, kind, loc, scope
        self.lines, self.start, self.end, self.new, self.what = lines, start, end, new, what

    def apply(self, text):
        return text[:self.start] + self.new + text[self.end:]

    def describe(self):
        return "%s:%d %s %s" % (self.path, min(self.lines), self.kind, self.what)


class _Offsets:
    """ast positions (line, UTF-8 byte column) -> offsets into the text."""

    def __init__(self, text):
        self.text = text
        self.lines = text.splitlines(keepends=True)
        self.starts = [0]
        for line in self.lines:
            self.starts.append(self.starts[-1] + len(line))

    def at(self, lineno, col):
        line = self.lines[lineno - 1]
        return self.starts[lineno - 1] + len(line.encode("utf-8")[:col].decode("utf-8"))

    def line_of(self, offset):
        return bisect.bisect_right(self.starts, offset)

    def span(self, node):
        return (self.at(node.lineno, node.col_offset),
                self.at(node.end_lineno, node.end_col_offset))


def _code_only(gap):
    """GAP with comments blanked out (same length), so operators are found in code only."""
    return re.sub(r"#[^\n]*", lambda m: " " * len(m.group(0)), gap)


class _Finder(ast.NodeVisitor):
    """Walks one module and collects its mutation sites."""

    def __init__(self, path, text):
        self.path, self.text = path, text
        self.off = _Offsets(text)
        self.sites = []
        self.loc = "module"
        self.scope = "<module>"
        self.names = []

    # -- scopes --

    def _body(self, stmts, loc, scope):
        saved = self.loc, self.scope
        self.loc, self.scope = loc, scope
        for i, s in enumerate(stmts):
            if i == 0 and isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant) \
               and isinstance(s.value.value, str):
                continue  # docstring
            self.visit(s)
        self.loc, self.scope = saved

    def visit_Module(self, node):
        self._body(node.body, "module", "<module>")

    def visit_ClassDef(self, node):
        for d in node.decorator_list + node.bases:
            self.visit(d)
        for k in node.keywords:
            self.visit(k.value)
        self.names.append(node.name)
        self._body(node.body, "class", ".".join(self.names))
        self.names.pop()

    def _function(self, node):
        for d in node.decorator_list:
            self.visit(d)
        a = node.args
        for d in a.defaults + [d for d in a.kw_defaults if d is not None]:
            self.visit(d)
        self.names.append(node.name)
        self._body(node.body, "function", ".".join(self.names))
        self.names.pop()

    visit_FunctionDef = visit_AsyncFunctionDef = _function

    def visit_Lambda(self, node):
        saved = self.loc
        for d in node.args.defaults:
            self.visit(d)
        self.loc = "function"
        self.visit(node.body)
        self.loc = saved

    def visit_AnnAssign(self, node):
        if node.value is not None:
            self.visit(node.value)
            self._delete(node)

    def visit_arg(self, node):
        pass  # annotations are never mutated

    def visit_Expr(self, node):
        if not isinstance(node.value, ast.Constant):
            self.generic_visit(node)  # a bare string or number does nothing

    def visit_JoinedStr(self, node):
        for v in node.values:
            if isinstance(v, ast.FormattedValue):
                self.visit(v.value)

    # -- sites --

    def _add(self, kind, node, start, end, new, what):
        text = self.text[start:end]
        if text == new:
            return
        lines = set(range(self.off.line_of(start), self.off.line_of(end) + 1))
        self.sites.append(Site(self.path, kind, self.loc, self.scope, lines,
                               start, end, new, what))

    def _token(self, kind, node, left, right, pattern, new, what):
        """Replace the operator PATTERN found between nodes LEFT and RIGHT."""
        a = self.off.at(left.end_lineno, left.end_col_offset)
        b = self.off.at(right.lineno, right.col_offset)
        if pattern[0].isalpha():
            pattern = r"\b%s\b" % pattern
        m = re.search(pattern, _code_only(self.text[a:b]))
        if m:
            self._add(kind, node, a + m.start(), a + m.end(), new, what)

    def visit_BinOp(self, node):
        op = BINOPS.get(type(node.op))
        if op:
            self._token("binop", node, node.left, node.right, re.escape(op[0]), op[1],
                        "%s -> %s" % op)
        self.generic_visit(node)

    def visit_Compare(self, node):
        left = node.left
        for op, right in zip(node.ops, node.comparators):
            sw = CMPOPS.get(type(op))
            if sw:
                self._token("compare", node, left, right, sw[0], sw[1],
                            "%s -> %s" % (sw[0].replace(r"\s+", " "), sw[1]))
            left = right
        self.generic_visit(node)

    def visit_BoolOp(self, node):
        sw = BOOLOPS[type(node.op)]
        for left, right in zip(node.values, node.values[1:]):
            self._token("boolop", node, left, right, sw[0], sw[1], "%s -> %s" % sw)
        self.generic_visit(node)

    def _negate(self, test):
        start, end = self.off.span(test)
        self._add("negate", test, start, end, "not (%s)" % self.text[start:end],
                  "negated condition")

    def visit_If(self, node):
        self._negate(node.test)
        self.generic_visit(node)

    visit_While = visit_IfExp = visit_If

    def visit_Constant(self, node):
        v = node.value
        if isinstance(v, bool):
            new = repr(not v)
        elif isinstance(v, int):
            new = repr(v + 1)
        elif isinstance(v, float):
            new = repr(v * 2 if v else 1.0)
        elif isinstance(v, str) and len(v) <= 40:
            new = repr(v + "_x" if v else "x")
        else:
            return
        start, end = self.off.span(node)
        self._add("constant", node, start, end, new,
                  "%s -> %s" % (self.text[start:end][:30], new[:30]))

    def visit_Return(self, node):
        v = node.value
        if v is not None and not (isinstance(v, ast.Constant) and v.value is None):
            start, end = self.off.span(v)
            self._add("return", v, start, end, "None", "return value -> None")
        self.generic_visit(node)

    def _delete(self, node):
        start, end = self.off.span(node)
        first = self.off.starts[node.lineno - 1]
        if self.text[first:start].strip():
            return  # shares its line with another statement
        rest = self.text[end:].split("\n", 1)[0].strip()
        if rest and not rest.startswith("#"):
            return
        self._add("delete", node, start, end, "pass", "statement deleted")

    def generic_visit(self, node):
        if isinstance(node, DELETABLE):
            self._delete(node)
        super().generic_visit(node)


def find_sites(path, text):
    """Every mutation site of the Python source TEXT (repository path PATH), unchecked:
    see is_valid."""
    finder = _Finder(path, text)
    finder.visit(ast.parse(text))
    out, seen = [], set()
    for s in finder.sites:
        key = (s.start, s.end, s.new)
        if key not in seen:
            seen.add(key)
            out.append(s)
    return out


def is_valid(site, text, tree_dump):
    """Whether SITE applied to TEXT (whose ast.dump is TREE_DUMP) parses and changes the
    program (two spellings of one tree are no fault)."""
    try:
        return ast.dump(ast.parse(site.apply(text))) != tree_dump
    except (SyntaxError, ValueError):
        return False


class Sampler:
    """Draws sites from STRATA ({name: (share, [sites])}): each draw picks a stratum by its
    share (among those with sites left), then a kind at random among the stratum's kinds, then
    a site; at most one site per original line. Drawn sites are gone for later draws."""

    def __init__(self, strata, rng):
        self.rng = rng
        self.pools = {}
        self.used = set()
        for name, (share, sites) in strata.items():
            by_kind = {}
            for s in sites:
                by_kind.setdefault(s.kind, []).append(s)
            for k in sorted(by_kind):
                rng.shuffle(by_kind[k])
            self.pools[name] = (share, by_kind)

    def draw(self, count, accept):
        """Up to COUNT new sites for which ACCEPT(site) is true; each gets .stratum."""
        out = []
        while len(out) < count:
            live = [n for n, p in self.pools.items() if any(p[1].values())]
            if not live:
                break
            name = self.rng.choices(live, [self.pools[n][0] for n in live])[0]
            by_kind = self.pools[name][1]
            kind = self.rng.choice(sorted(k for k, v in by_kind.items() if v))
            s = by_kind[kind].pop()
            key = (s.path, min(s.lines))
            if key in self.used or not accept(s):
                continue
            self.used.add(key)
            s.stratum = name
            out.append(s)
        return out
