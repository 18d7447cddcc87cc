//! The native half of the `rinse` Python package: [`rinse::Cleaner`] behind a Python class.
//!
//! Options arrive as keyword arguments with the names of the command line and the config file,
//! and are resolved into a [`Config`] the same way `rinse` resolves its flags: defaults, then
//! the config file, then the arguments. Cleaning runs with the interpreter released, so other
//! Python threads go on meanwhile, and batches run on a rayon pool.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use pyo3::exceptions::{PyOSError, PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString, PyTuple};
use rayon::prelude::*;
use rinse::config::unknown_rule_message;
use rinse::{Change, Config, PunctStyle, RuleId, RuleSet, ScriptMode};

/// The library's errors as Python exceptions: a bad option or pattern is a `ValueError` with
/// the library's own message; an unreadable config file is an `OSError`.
fn py_err(err: rinse::Error) -> PyErr {
    match err {
        rinse::Error::Config(message) => PyValueError::new_err(message),
        err @ rinse::Error::Io { .. } => PyOSError::new_err(err.to_string()),
    }
}

/// Rule names given as one comma-separated string (as on the command line) or as an iterable
/// of names.
fn rule_list(names: &Bound<'_, PyAny>, option: &str) -> PyResult<Vec<RuleId>> {
    let names: Vec<String> = if let Ok(text) = names.cast::<PyString>() {
        text.to_cow()?.split(',').map(str::to_string).collect()
    } else {
        names
            .try_iter()
            .map_err(|_| {
                PyTypeError::new_err(format!(
                    "{option} takes rule names, as a list or a comma-separated string"
                ))
            })?
            .map(|name| name?.extract::<String>())
            .collect::<PyResult<_>>()?
    };
    names
        .iter()
        .map(|name| name.trim())
        .filter(|name| !name.is_empty())
        .map(|name| {
            RuleId::from_name(name).ok_or_else(|| PyValueError::new_err(unknown_rule_message(name)))
        })
        .collect()
}

fn punct_name(style: PunctStyle) -> &'static str {
    match style {
        PunctStyle::Cjk => "cjk",
        PunctStyle::Ascii => "ascii",
        PunctStyle::Keep => "keep",
    }
}

fn script_name(mode: ScriptMode) -> &'static str {
    match mode {
        ScriptMode::Auto => "auto",
        ScriptMode::Simplified => "simplified",
        ScriptMode::Keep => "keep",
    }
}

/// One change as a plain dict: it pickles, converts to JSON and fits in an Arrow column, which
/// a class of our own would not (pandas, `datasets.map` and Spark all move results that way).
fn change_dict<'py>(py: Python<'py>, change: &Change) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    dict.set_item("rule", change.rule.name())?;
    dict.set_item("line", change.line)?;
    dict.set_item("column", change.column)?;
    dict.set_item("offset", change.offset)?;
    dict.set_item("before", &change.before)?;
    dict.set_item("after", &change.after)?;
    dict.set_item("reason", change.reason.as_ref())?;
    Ok(dict)
}

/// Thread pools for `clean_batch`, by size, owned by the process that built them.
///
/// A process forked after a batch ran (`datasets.map(num_proc=…)`, multiprocessing, Spark's
/// worker daemon) inherits the pool but none of its threads; a batch sent to it would wait
/// forever. So a pool is only used by the process that made it, and a child builds its own.
struct Pools {
    pid: u32,
    by_size: HashMap<usize, Arc<rayon::ThreadPool>>,
}

static POOLS: Mutex<Option<Pools>> = Mutex::new(None);

/// The pool with `threads` threads (0: rayon's default, `RAYON_NUM_THREADS` or one per core).
/// Called with the interpreter attached, so a fork cannot happen while the lock is held.
fn pool(threads: usize) -> PyResult<Arc<rayon::ThreadPool>> {
    let mut pools = POOLS
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let pid = std::process::id();
    if pools.as_ref().is_none_or(|pools| pools.pid != pid) {
        // The parent's pools refer to threads this process does not have: dropping them would
        // wake threads that are not there, so they are left alone.
        std::mem::forget(pools.take());
        *pools = Some(Pools {
            pid,
            by_size: HashMap::new(),
        });
    }
    let by_size = &mut pools.as_mut().expect("set above").by_size;
    if let Some(pool) = by_size.get(&threads) {
        return Ok(Arc::clone(pool));
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("rinse-{i}"))
        .build()
        .map_err(|err| PyRuntimeError::new_err(format!("cannot start threads: {err}")))?;
    let pool = Arc::new(pool);
    by_size.insert(threads, Arc::clone(&pool));
    Ok(pool)
}

/// Cleans text: repairs mojibake, look-alike and stray traditional characters, punctuation
/// that does not fit its context, HTML references, odd spaces and page furniture.
///
/// Build one and reuse it: building compiles the boilerplate patterns. Every keyword is
/// optional and has the meaning of the command-line flag or config-file key of the same name:
///
/// - ``config``: path of a TOML config file, read first; the other keywords override it.
/// - ``only`` / ``skip``: rule names (a list, or one comma-separated string) to run alone or to
///   leave out; ``rinse.RULES`` lists them. Not both at once.
/// - ``punct``: ``"cjk"`` (by context, the default), ``"ascii"`` or ``"keep"``.
/// - ``script``: ``"auto"`` (the default), ``"simplified"`` or ``"keep"``.
/// - ``boilerplate_drop``, ``boilerplate_cut_after``, ``boilerplate_keep``: regular
///   expressions (Rust syntax) added to the config's ``[boilerplate]`` lists.
///
/// A bad option or pattern raises ``ValueError`` with the same message as the command line.
///
/// Each text is one document: document-level rules (a trailing 参考资料 section, blank-line
/// runs, exactly one final newline) see the whole text. A Cleaner pickles (by its options), so
/// it can be shipped to Spark executors and to ``datasets.map(num_proc=…)`` workers.
///
/// >>> cleaner = Cleaner(punct="cjk")
/// >>> cleaner.clean("你好,世界")
/// '你好，世界\n'
#[pyclass(frozen, module = "rinse", name = "Cleaner")]
struct PyCleaner {
    cleaner: rinse::Cleaner,
}

#[pymethods]
impl PyCleaner {
    #[new]
    #[pyo3(signature = (
        *,
        config = None,
        only = None,
        skip = None,
        punct = None,
        script = None,
        boilerplate_drop = None,
        boilerplate_cut_after = None,
        boilerplate_keep = None,
    ))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        config: Option<PathBuf>,
        only: Option<&Bound<'_, PyAny>>,
        skip: Option<&Bound<'_, PyAny>>,
        punct: Option<&str>,
        script: Option<&str>,
        boilerplate_drop: Option<Vec<String>>,
        boilerplate_cut_after: Option<Vec<String>>,
        boilerplate_keep: Option<Vec<String>>,
    ) -> PyResult<PyCleaner> {
        let mut resolved = Config::default();
        if let Some(path) = &config {
            resolved.merge_file(path).map_err(py_err)?;
        }
        if only.is_some() && skip.is_some() {
            // As on the command line, where --only and --skip conflict: with both, which wins
            // would be a guess.
            return Err(PyValueError::new_err(
                "only and skip cannot be used together; use one of them",
            ));
        }
        if let Some(only) = only {
            resolved.rules = RuleSet::none();
            for rule in rule_list(only, "only")? {
                resolved.rules.insert(rule);
            }
        }
        if let Some(skip) = skip {
            for rule in rule_list(skip, "skip")? {
                resolved.rules.remove(rule);
            }
        }
        if let Some(name) = punct {
            resolved.punct = PunctStyle::from_name(name).ok_or_else(|| {
                PyValueError::new_err(format!(
                    "unknown punct style '{name}'; use cjk, ascii or keep"
                ))
            })?;
        }
        if let Some(name) = script {
            resolved.script = ScriptMode::from_name(name).ok_or_else(|| {
                PyValueError::new_err(format!(
                    "unknown script mode '{name}'; use auto, simplified or keep"
                ))
            })?;
        }
        let patterns = &mut resolved.boilerplate;
        patterns.drop.extend(boilerplate_drop.unwrap_or_default());
        patterns
            .cut_after
            .extend(boilerplate_cut_after.unwrap_or_default());
        patterns.keep.extend(boilerplate_keep.unwrap_or_default());
        let cleaner = rinse::Cleaner::new(resolved).map_err(py_err)?;
        Ok(PyCleaner { cleaner })
    }

    /// Cleans one document and returns the clean text. A text that needs no change is returned
    /// as the same object.
    fn clean<'py>(&self, text: &Bound<'py, PyString>) -> PyResult<Bound<'py, PyString>> {
        let py = text.py();
        let input = text.to_cow()?;
        let cleaner = &self.cleaner;
        let cleaned = py.detach(|| match cleaner.clean(&input) {
            Cow::Borrowed(_) => None,
            Cow::Owned(cleaned) => Some(cleaned),
        });
        Ok(match cleaned {
            Some(cleaned) => PyString::new(py, &cleaned),
            None => text.clone(),
        })
    }

    /// Cleans one document and returns ``(text, changes)``: each change is a dict with
    /// ``rule``, ``line`` and ``column`` (1-based, in characters, in the input), ``offset``,
    /// ``before``, ``after`` and ``reason``, in output order, as ``rinse --explain`` prints them.
    fn clean_with_changes<'py>(
        &self,
        text: &Bound<'py, PyString>,
    ) -> PyResult<(String, Vec<Bound<'py, PyDict>>)> {
        let py = text.py();
        let input = text.to_cow()?;
        let cleaner = &self.cleaner;
        let (cleaned, changes) = py.detach(|| cleaner.clean_with_changes(&input));
        let changes = changes
            .iter()
            .map(|change| change_dict(py, change))
            .collect::<PyResult<_>>()?;
        Ok((cleaned, changes))
    }

    /// Cleans many documents in parallel and returns the clean texts in the same order.
    ///
    /// ``texts`` is any iterable of ``str``. The interpreter is released while the batch runs
    /// on ``threads`` threads: by default one per core (or ``RAYON_NUM_THREADS``); ``1`` runs
    /// in the calling thread, which suits workers that are already one per core (Spark tasks,
    /// ``datasets.map(num_proc=…)``).
    #[pyo3(signature = (texts, *, threads = None))]
    fn clean_batch(
        &self,
        py: Python<'_>,
        texts: &Bound<'_, PyAny>,
        threads: Option<usize>,
    ) -> PyResult<Vec<String>> {
        if texts.is_instance_of::<PyString>() {
            // A str is an iterable of one-character strings: cleaning those is never what
            // was meant.
            return Err(PyTypeError::new_err(
                "clean_batch takes a list of texts, not one str; use clean for one text",
            ));
        }
        let texts: Vec<String> = texts
            .try_iter()?
            .enumerate()
            .map(|(i, text)| {
                let text = text?;
                text.extract::<String>().map_err(|_| {
                    PyTypeError::new_err(format!(
                        "texts[{i}] is {}, not str",
                        text.get_type()
                            .name()
                            .map(|name| name.to_string())
                            .unwrap_or_else(|_| "not a str".to_string())
                    ))
                })
            })
            .collect::<PyResult<_>>()?;
        let cleaner = &self.cleaner;
        let clean_one = |text: &String| cleaner.clean(text).into_owned();
        match threads {
            Some(0) => Err(PyValueError::new_err("threads must be at least 1")),
            Some(1) => Ok(py.detach(|| texts.iter().map(clean_one).collect())),
            threads => {
                let pool = pool(threads.unwrap_or(0))?;
                Ok(py.detach(|| pool.install(|| texts.par_iter().map(clean_one).collect())))
            }
        }
    }

    /// The options this Cleaner was built with, resolved (a config file already read), as the
    /// keywords that rebuild it: ``Cleaner(**cleaner.options)``. Defaults are left out.
    #[getter]
    fn options<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let config = self.cleaner.config();
        let options = PyDict::new(py);
        let skipped: Vec<&str> = RuleId::ALL
            .iter()
            .filter(|rule| !config.rules.contains(**rule))
            .map(|rule| rule.name())
            .collect();
        if !skipped.is_empty() {
            options.set_item("skip", skipped)?;
        }
        if config.punct != PunctStyle::default() {
            options.set_item("punct", punct_name(config.punct))?;
        }
        if config.script != ScriptMode::default() {
            options.set_item("script", script_name(config.script))?;
        }
        let patterns = &config.boilerplate;
        for (key, list) in [
            ("boilerplate_drop", &patterns.drop),
            ("boilerplate_cut_after", &patterns.cut_after),
            ("boilerplate_keep", &patterns.keep),
        ] {
            if !list.is_empty() {
                options.set_item(key, list)?;
            }
        }
        Ok(options)
    }

    /// Pickles as ``functools.partial(Cleaner, **options)``: the receiving process rebuilds
    /// the rules from the resolved options and needs no config file of its own.
    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        let partial = py.import("functools")?.getattr("partial")?;
        let options = slf.get().options(py)?;
        let rebuild = partial.call((slf.get_type(),), Some(&options))?;
        Ok((rebuild, PyTuple::empty(py)))
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let options = self.options(py)?;
        let mut parts = Vec::new();
        for (key, value) in options.iter() {
            parts.push(format!("{key}={}", value.repr()?));
        }
        Ok(format!("rinse.Cleaner({})", parts.join(", ")))
    }
}

/// The native module behind the ``rinse`` package; import ``rinse`` instead.
#[pymodule]
mod _rinse {
    use super::*;

    #[pymodule_export]
    use super::PyCleaner;

    #[pymodule_init]
    fn init(module: &Bound<'_, PyModule>) -> PyResult<()> {
        let names: Vec<&str> = RuleId::ALL.iter().map(|rule| rule.name()).collect();
        module.add("RULES", PyTuple::new(module.py(), names)?)?;
        module.add("__version__", env!("CARGO_PKG_VERSION"))?;
        Ok(())
    }
}
