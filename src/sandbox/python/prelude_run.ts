/**
 * How a Python cell runs, in the prelude's module: compiled (the final
 * expression apart, every `except` guarded against swallowing SUBMIT), run,
 * and reported (the value shown, the error located in the cell and its
 * traceback trimmed to cells' lines). Part of {@linkcode PYTHON_PRELUDE}.
 *
 * @module
 */

/**
 * The Python source of the cell runner (`_nanocode_run`, `_nanocode_keep`).
 *
 * @example
 * ```ts
 * import { PRELUDE_RUN } from "./prelude_run.ts";
 * console.log(PRELUDE_RUN.includes("def _nanocode_run")); // true
 * ```
 */
export const PRELUDE_RUN = String.raw`
def __nanocode_guard__():
    """First statement of every except block in cells: after SUBMIT, nothing catches the end."""
    if _state["submitted"]:
        raise _Submit()


def _guard_handlers(tree):
    """Puts __nanocode_guard__() first in every except block of the cell."""
    for node in ast.walk(tree):
        if isinstance(node, ast.ExceptHandler):
            at = node.body[0] if node.body else node
            name = ast.copy_location(ast.Name("__nanocode_guard__", ast.Load()), at)
            call = ast.copy_location(ast.Call(name, [], []), at)
            node.body.insert(0, ast.copy_location(ast.Expr(call), at))


_FLAGS = ast.PyCF_ALLOW_TOP_LEVEL_AWAIT


def _split_at_last_statement(code):
    """The cell cut before its last line that starts at column 0: (head, tail), or None."""
    lines = code.split("\n")
    for i in range(len(lines) - 1, -1, -1):
        line = lines[i]
        if line[:1] not in ("", " ", "\t", "#"):
            return "\n".join(lines[:i]), "\n" * i + "\n".join(lines[i:])
    return None


def _compile_fast(code, filename):
    """Compiles without building Python AST objects, when it can be sure where the
    last statement starts: the cut is right only if both parts compile on their own
    (a cut inside brackets, a string or a block leaves the head unfinished)."""
    split = _split_at_last_statement(code)
    if split is None:
        return None
    head, tail = split
    try:
        last = compile(tail, filename, "eval", _FLAGS)
    except SyntaxError:
        if ";" in tail:
            return None  # "a = 1; a": only the AST knows the last statement
        last = None
        try:
            compile(tail, filename, "exec", _FLAGS)
        except SyntaxError:
            return None
    try:
        body = compile(head if last is not None else code, filename, "exec", _FLAGS)
    except SyntaxError:
        return None
    return body, last


class _AwaitRun(ast.NodeTransformer):
    """asyncio.run(main()) in the cell's own top-level code becomes await main():
    the cell already runs in an event loop, which asyncio.run cannot block."""

    def visit_Call(self, node):
        self.generic_visit(node)
        f = node.func
        if (isinstance(f, ast.Attribute) and f.attr == "run" and isinstance(f.value, ast.Name)
                and f.value.id == "asyncio" and len(node.args) == 1 and not node.keywords):
            return ast.copy_location(ast.Await(node.args[0]), node)
        return node

    def _keep(self, node):
        return node  # await is not allowed in a function's or class's body

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = visit_ClassDef = _keep
    visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = _keep


def _no_asyncio_run(main, **kwargs):
    """asyncio.run where it cannot work: inside a function of a cell."""
    close = getattr(main, "close", None)
    if close is not None:
        close()
    raise RuntimeError(
        "asyncio.run() cannot be called from a running event loop (the REPL's): "
        "write await main() at the top level of the cell (or make the calling function async and await it)"
    )


def _compile(code, filename):
    """The cell's statements and, when it ends in an expression (without a ';'), that expression."""
    if not code[:1].isspace() and "except" not in code and not code.rstrip().endswith(";") \
            and "asyncio.run(" not in code:
        fast = _compile_fast(code, filename)
        if fast is not None:
            return fast
    if code[:1].isspace() and code.strip():
        code = textwrap.dedent(code)
    tree = compile(code, filename, "exec", _FLAGS | ast.PyCF_ONLY_AST)
    if "except" in code:
        _guard_handlers(tree)
    if "asyncio.run(" in code:
        tree = ast.fix_missing_locations(_AwaitRun().visit(tree))
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        if not (code.rstrip().endswith(";") and should_quiet(code)):
            last = compile(ast.Expression(tree.body.pop().value), filename, "eval", _FLAGS)
    return compile(tree, filename, "exec", _FLAGS), last


class _Shower(reprlib.Repr):
    """reprlib with dicts in insertion order (as repr shows them)."""

    def repr_dict(self, x, level):
        if not x:
            return "{}"
        if level <= 0:
            return "{" + self.fillvalue + "}"
        pieces = []
        for key, value in x.items():
            if len(pieces) == self.maxdict:
                pieces.append(self.fillvalue)
                break
            pieces.append(f"{self.repr1(key, level - 1)}: {self.repr1(value, level - 1)}")
        return "{" + self._join(pieces, level) + "}"


_repr = _Shower()
_repr.maxlevel = 4
_repr.maxlist = _repr.maxtuple = _repr.maxset = _repr.maxfrozenset = _repr.maxdeque = _repr.maxarray = _repr.maxdict = 200
_repr.maxstring = _repr.maxother = _repr.maxlong = 10_000


def _show(value):
    if isinstance(value, ListResult):
        return str(value)
    if isinstance(value, str):
        return value
    return _repr.repr(value)


def _text(value):
    """str(value), or what Python's own traceback says when that fails."""
    try:
        text = str(value)
        return text if isinstance(text, str) else "<str() failed>"
    except BaseException:
        return f"<{type(value).__name__} str() failed>"


def _describe(error, filename):
    name = type(error).__name__
    if isinstance(error, SyntaxError) and error.filename == filename:
        return {"name": name, "message": error.msg or "invalid syntax", "line": error.lineno}, None
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename.startswith("<cell-")]
    line = None
    for frame in frames:
        if frame.filename == filename:
            line = frame.lineno
    if isinstance(error, SystemExit):
        message = "exit() and sys.exit() are not available in the REPL; call SUBMIT(...) to finish"
    elif isinstance(error, MemoryError) and not str(error):
        message = "the Python heap limit was reached; free memory (del big objects) or work in smaller pieces"
    else:
        message = _text(error)
        notes = getattr(error, "__notes__", None)
        if isinstance(notes, list):
            message = "\n".join([message, *map(_text, notes)])
    if len(message) > 20_000:
        message = message[:10_000] + f"\n... [{len(message) - 20_000} characters omitted] ...\n" + message[-10_000:]
    trace = None
    if len(frames) > 1 or (frames and frames[-1].filename != filename):
        trace = "Traceback (most recent call last):\n" + "".join(traceback.format_list(frames))
    result = {"name": name, "message": message}
    if line is not None:
        result["line"] = line
    return result, trace


def _cancel_tasks():
    asyncio = sys.modules.get("asyncio")
    if asyncio is None:
        return
    try:
        loop = asyncio.get_event_loop()
        running = asyncio.current_task(loop)
        for task in asyncio.all_tasks(loop):
            if task is not running:
                task.cancel()
    except Exception:
        pass


def _end(filename, value=None, error=None):
    sys.settrace(None)
    _cancel_tasks()
    if _state["submitted"] or isinstance(error, _Submit):
        _stream.flush()
        return _dumps({"submitted": True})
    out = {}
    if error is not None:
        try:
            out["error"], trace = _describe(error, filename)
        except BaseException:
            out["error"], trace = {"name": type(error).__name__, "message": "<the error could not be described>"}, None
        if trace:
            _stream.write(trace)
    elif value is not None:
        try:
            out["value"] = _show(value)
        except BaseException as failure:
            out["error"], _ = _describe(failure, filename)
    _stream.flush()
    return _dumps(out)


def _is_async(code):
    return code is not None and bool(code.co_flags & _CO_COROUTINE)


async def _run_async(body, last, filename):
    try:
        done = eval(body, _ns)
        if _is_async(body):
            await done
        value = None if last is None else eval(last, _ns)
        if _is_async(last):
            value = await value
    except BaseException as error:
        return _end(filename, error=error)
    return _end(filename, value=value)


def _nanocode_run(cell_id, code, fns_json, globals_json):
    # A cell may have replaced them (to capture, to silence): each cell prints again.
    sys.stdout = sys.stderr = _stream
    # Text still buffered was printed while no cell ran (an earlier cell's leftover callback).
    _stream._parts.clear()
    _stream._size = 0
    _install(fns_json)
    if globals_json:
        _ns.update(_loads(globals_json))
    _state["submitted"] = False
    _stream._last = float("-inf")
    filename = f"<cell-{cell_id}>"
    linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
    try:
        body, last = _compile(code, filename)
    except BaseException as error:
        return _end(filename, error=error)
    if _is_async(body) or _is_async(last):
        return _run_async(body, last, filename)
    try:
        exec(body, _ns)
        value = None if last is None else eval(last, _ns)
    except BaseException as error:
        return _end(filename, error=error)
    return _end(filename, value=value)


def _nanocode_keep(slot, text):
    out = _ns.get("_out")
    if isinstance(out, list) and 0 <= slot < 1_000_000:
        out.extend([None] * (slot + 1 - len(out)))
        out[slot] = text
`;
