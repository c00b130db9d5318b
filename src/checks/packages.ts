/** Python import names: which are the standard library, and which pip distribution provides the others. */

// sys.stdlib_module_names of CPython 3.11 (public names).
export const STDLIB = new Set(
  "abc aifc antigravity argparse array ast asynchat asyncio asyncore atexit audioop base64 bdb binascii bisect builtins bz2 cProfile calendar cgi cgitb chunk cmath cmd code codecs codeop collections colorsys compileall concurrent configparser contextlib contextvars copy copyreg crypt csv ctypes curses dataclasses datetime dbm decimal difflib dis distutils doctest email encodings ensurepip enum errno faulthandler fcntl filecmp fileinput fnmatch fractions ftplib functools gc genericpath getopt getpass gettext glob graphlib grp gzip hashlib heapq hmac html http idlelib imaplib imghdr imp importlib inspect io ipaddress itertools json keyword lib2to3 linecache locale logging lzma mailbox mailcap marshal math mimetypes mmap modulefinder msilib msvcrt multiprocessing netrc nis nntplib nt ntpath nturl2path numbers opcode operator optparse os ossaudiodev pathlib pdb pickle pickletools pipes pkgutil platform plistlib poplib posix posixpath pprint profile pstats pty pwd py_compile pyclbr pydoc pydoc_data pyexpat queue quopri random re readline reprlib resource rlcompleter runpy sched secrets select selectors shelve shlex shutil signal site smtpd smtplib sndhdr socket socketserver spwd sqlite3 sre_compile sre_constants sre_parse ssl stat statistics string stringprep struct subprocess sunau symtable sys sysconfig syslog tabnanny tarfile telnetlib tempfile termios textwrap this threading time timeit tkinter token tokenize tomllib trace traceback tracemalloc tty turtle turtledemo types typing unicodedata unittest urllib uu uuid venv warnings wave weakref webbrowser winreg winsound wsgiref xdrlib xml xmlrpc zipapp zipfile zipimport zlib zoneinfo __future__".split(
    " ",
  ),
);

/** Import name -> distribution name, where they differ or are common in ML code. */
export const DISTRIBUTION_OF: Record<string, string> = {
  sklearn: "scikit-learn",
  yaml: "pyyaml",
  cv2: "opencv-python",
  PIL: "pillow",
  skimage: "scikit-image",
  bs4: "beautifulsoup4",
  dateutil: "python-dateutil",
  google: "protobuf",
  attr: "attrs",
  Crypto: "pycryptodome",
  dotenv: "python-dotenv",
  jwt: "pyjwt",
  serial: "pyserial",
  wx: "wxpython",
  gym: "gym",
  gymnasium: "gymnasium",
  tensorflow: "tensorflow",
  tf_keras: "tf-keras",
  jax: "jax",
  flax: "flax",
  optax: "optax",
  torch: "torch",
  torchvision: "torchvision",
  torchaudio: "torchaudio",
  torchtext: "torchtext",
  numpy: "numpy",
  scipy: "scipy",
  pandas: "pandas",
  matplotlib: "matplotlib",
  seaborn: "seaborn",
  tqdm: "tqdm",
  transformers: "transformers",
  datasets: "datasets",
  tokenizers: "tokenizers",
  sentencepiece: "sentencepiece",
  accelerate: "accelerate",
  einops: "einops",
  timm: "timm",
  wandb: "wandb",
  tensorboard: "tensorboard",
  tensorboardX: "tensorboardx",
  h5py: "h5py",
  networkx: "networkx",
  nltk: "nltk",
  spacy: "spacy",
  sacrebleu: "sacrebleu",
  evaluate: "evaluate",
  librosa: "librosa",
  soundfile: "soundfile",
  omegaconf: "omegaconf",
  hydra: "hydra-core",
  lightning: "lightning",
  pytorch_lightning: "pytorch-lightning",
  torchmetrics: "torchmetrics",
  peft: "peft",
  trl: "trl",
  gensim: "gensim",
  numba: "numba",
  sympy: "sympy",
  statsmodels: "statsmodels",
  xgboost: "xgboost",
  lightgbm: "lightgbm",
  requests: "requests",
  regex: "regex",
  jsonlines: "jsonlines",
  safetensors: "safetensors",
  huggingface_hub: "huggingface-hub",
  rich: "rich",
  click: "click",
  typer: "typer",
  pydantic: "pydantic",
  absl: "absl-py",
  ml_collections: "ml-collections",
  tensorflow_datasets: "tensorflow-datasets",
  faiss: "faiss-cpu",
  open_clip: "open-clip-torch",
  clip: "openai-clip",
  pytest: "pytest",
};

/** The distribution name of a requirement line ("torch>=2.1", "scikit-learn==1.4; python_version>'3.8'"). */
export function requirementName(line: string): string {
  return line
    .trim()
    .split(/[<>=!~;[\s@]/)[0]!
    .toLowerCase()
    .replace(/_/g, "-");
}
