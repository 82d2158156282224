/**
 * The Python side of the Python REPL: run once in the sandbox's worker after
 * Pyodide boots, in a module of its own (`_nanocode`), so cells see only
 * their functions and variables. It is pure Python until `_nanocode_setup`
 * connects it to the worker, so it runs before the memory snapshot is taken
 * and a restored snapshot brings it defined. It defines how a cell runs (final
 * expression shown, traceback trimmed to cells' lines, SUBMIT that no
 * `except:` can swallow), the REPL functions as real Python functions with
 * the original's parameter names (keyword arguments work), output sent to
 * the cell, and the refusal of packages that would need a download.
 *
 * The JavaScript module `_nanocode_js` that setup imports is the worker's bridge
 * (`worker_python.ts`): `call(name, args_json)` (a synchronous host call
 * whose reply starts with "S" for text, "J" for a JSON reply, "E" for an
 * error, "X" when the cell already submitted), `write(text)` and
 * `submit(args_json)`.
 *
 * @module
 */

import { PRELUDE_RUN } from "./prelude_run.ts";

/**
 * Modules imported right after Pyodide boots, before the snapshot is taken
 * (so restoring it brings them loaded): the prelude's own, and what cells
 * use most.
 *
 * @example
 * ```ts
 * import { WARM_IMPORTS } from "./prelude.ts";
 * console.log(WARM_IMPORTS.startsWith("import ")); // true
 * ```
 */
export const WARM_IMPORTS =
  "import ast, asyncio, builtins, collections, io, json, keyword, linecache, os, random, re, reprlib, sys, textwrap, time, traceback, importlib.machinery, pyodide.code";

/**
 * The prelude's Python source (with the cell runner of `prelude_run.ts`).
 *
 * @example
 * ```ts
 * import { PYTHON_PRELUDE } from "./prelude.ts";
 * console.log(PYTHON_PRELUDE.includes("def SUBMIT")); // true
 * ```
 */
export const PYTHON_PRELUDE = String.raw`
import __main__, ast, builtins, io, json, keyword, linecache, os, reprlib, sys, textwrap, time, traceback
_js = None  # the worker's bridge, set by _nanocode_setup
from importlib.machinery import PathFinder
from pyodide.code import should_quiet

_ns = __main__.__dict__
_CO_COROUTINE = 0x80
# Bound once: a cell that patches json or time must not break the REPL's own plumbing.
_dumps, _loads, _monotonic = json.dumps, json.loads, time.monotonic


class _Submit(BaseException):
    """Ends the cell after SUBMIT (a BaseException: 'except Exception' lets it through)."""


class ToolError(RuntimeError):
    """A REPL function failed; the message says why."""


class ListResult(list):
    """What glob_files and grep_files return: a list whose str() is the tool's text."""

    def __init__(self, items, text, fn, what):
        super().__init__(items)
        self._text, self._fn, self._what = text, fn, what

    def __str__(self):
        return self._text

    def split(self, *args, **kwargs):
        raise TypeError(
            f"{self._fn}(...) already returns a list of {self._what} (one item per line): "
            "use it directly (len(x), for item in x, '\\n'.join(x)); .split is not needed"
        )


class _Stream(io.TextIOBase):
    """stdout and stderr of cells: text goes to the running cell's output,
    the first write of a cell at once, later ones in batches (8 KB or 20 ms)."""

    def __init__(self):
        self._parts, self._size, self._last = [], 0, float("-inf")

    def writable(self):
        return True

    @property
    def encoding(self):
        return "utf-8"

    def write(self, s):
        if not isinstance(s, str):
            raise TypeError(f"write() argument must be str, not {type(s).__name__}")
        if s:
            self._parts.append(s)
            self._size += len(s)
            if self._size >= 8192 or _monotonic() - self._last >= 0.02:
                self.flush()
        return len(s)

    def flush(self):
        if self._parts:
            text = "".join(self._parts)
            self._parts.clear()
            self._size = 0
            _js.write(text)
        self._last = _monotonic()


_stream = _Stream()
_state = {"submitted": False}

_ERRORS = {
    "TypeError": TypeError,
    "RangeError": ValueError,
    "ReferenceError": NameError,
    "AbortError": KeyboardInterrupt,
}


def _raise(error):
    kind = _ERRORS.get(error.get("name"), ToolError)
    raise kind(error.get("message") or "the call failed")


def _jsonable(value):
    if isinstance(value, (set, frozenset)):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not a JSON value")


def _from_host(value):
    if isinstance(value, dict) and isinstance(value.get("__nanocode_list__"), list) and isinstance(value.get("text"), str):
        return ListResult(value["__nanocode_list__"], value["text"], value.get("fn", "it"), value.get("what", "items"))
    return value


def _call(name, args, required):
    args = list(args)
    while len(args) > required and args[-1] is None:
        args.pop()
    try:
        payload = _dumps(args, allow_nan=False, default=_jsonable)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{name}(): arguments must be JSON values (str, int, float, bool, None, list, dict): {error}") from None
    _stream.flush()
    reply = _js.call(name, payload)
    tag, body = reply[:1], reply[1:]
    if tag == "S":
        return body
    if tag == "X":
        raise _Submit()
    data = _loads(body)
    if tag == "E":
        _raise(data)
    if not data.get("ok"):
        _raise(data.get("error") or {})
    return _from_host(data.get("value"))


_IDENT = __import__("re").compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def _identifier(name):
    return bool(_IDENT.match(name)) and not keyword.iskeyword(name)


def _function(name, params):
    """A Python function named like the REPL function, with its parameters."""
    parts, values, required, rest, optional = [], [], 0, None, False
    for raw in params if params is not None else ["...args"]:
        if raw.startswith("..."):
            rest = raw[3:]
            parts.append("*" + rest)
            continue
        param = raw.rstrip("?")
        optional = optional or raw.endswith("?")
        parts.append(param + ("=None" if optional else ""))
        values.append(param)
        required += 0 if optional else 1
    names = values + ([rest] if rest else [])
    if not all(_identifier(n) for n in names) or len(set(names)) != len(names):
        parts, values, required, rest = ["*args"], [], 0, "args"
    listed = "[" + ", ".join(values) + "]" + (f" + list({rest})" if rest else "")
    source = f"def {name}({', '.join(parts)}):\n    return _call({name!r}, {listed}, {required})\n"
    scope = {"_call": _call}
    exec(source, scope)
    fn = scope[name]
    fn.__module__ = "__main__"
    return fn


_installed = {}
_installed_key = None


def _install(fns_json):
    global _installed, _installed_key
    if fns_json == _installed_key:
        return
    _installed_key = fns_json
    wanted = {f["name"]: f["params"] for f in _loads(fns_json) if _identifier(f["name"])}
    for name, fn in list(_installed.items()):
        if name not in wanted:
            if _ns.get(name) is fn:
                del _ns[name]
            del _installed[name]
    for name, params in wanted.items():
        if name not in _installed:
            _installed[name] = _ns[name] = _function(name, params)


def _stop_cell_code(frame, event, arg):
    if frame.f_code.co_filename.startswith("<cell-"):
        raise _Submit()
    return _stop_cell_code


def SUBMIT(*args, **kwargs):
    """Ends the turn with the result: SUBMIT(answer) or SUBMIT(answer=...)."""
    if kwargs and args:
        raise TypeError("SUBMIT takes its values either by position or by name, not both")
    values = [kwargs] if kwargs else list(args)
    try:
        payload = _dumps(values, allow_nan=False, default=_jsonable)
    except (TypeError, ValueError) as error:
        raise TypeError(f"SUBMIT arguments must be JSON values (str, int, float, bool, None, list, dict): {error}") from None
    _stream.flush()
    _js.submit(payload)
    _state["submitted"] = True
    # From here on, any line of cell code raises again: 'except:' cannot keep the cell going.
    sys.settrace(_stop_cell_code)
    frame = sys._getframe(1)
    while frame is not None:
        frame.f_trace = _stop_cell_code
        frame = frame.f_back
    raise _Submit()


class _Refuse:
    """Packages of Pyodide's distribution would need a download: say so."""

    def __init__(self, names):
        self._names = names

    def find_spec(self, fullname, path=None, target=None):
        if path is not None or fullname not in self._names:
            return None
        spec = PathFinder.find_spec(fullname)
        if spec is not None:
            return spec
        raise ModuleNotFoundError(
            f"No module named '{fullname}': nanocode's Python REPL has only the standard library "
            "(installing packages needs the network, which the REPL does not have); "
            f"use run_bash(...) to run code that needs {fullname}",
            name=fullname,
        )


def _no_input(prompt=""):
    raise EOFError("input() has nothing to read: the REPL has no user at a keyboard; ask in your answer (SUBMIT) instead")


def _nanocode_setup(cwd, refused_json):
    global _js
    import _nanocode_js as _js
    sys.stdout = sys.stderr = _stream
    if "random" in sys.modules:
        sys.modules["random"].seed()
    sys.meta_path.insert(0, _Refuse(set(_loads(refused_json)) | {"micropip"}))
    if cwd and not os.path.exists(cwd):
        # The workspace's path, but nothing in it: files are reached with the functions.
        os.makedirs(cwd)
        os.chdir(cwd)
        os.chmod(cwd, 0)
    _ns.update({"SUBMIT": SUBMIT, "ToolError": ToolError})
    builtins.__nanocode_guard__ = __nanocode_guard__
    builtins.input = _no_input
    sys.modules["asyncio"].run = _no_asyncio_run
    # The first compile in a process is slow (wasm code compiles on first
    # use): do it now, while nothing waits for it.
    compile("x = [i for i in range(3)]\nprint(x, {'a': 1})", "<warm>", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    json.loads(json.dumps({"a": [1, 2.5, None, "b"]}))
` + PRELUDE_RUN;
