# The modules issue 3 requires user code to be able to import (components/python/README.md lists the full set).
import importlib

NAMES = """json re math cmath datetime time calendar zoneinfo collections collections.abc itertools functools
operator random statistics decimal fractions numbers string textwrap difflib unicodedata csv io base64 binascii
hashlib hmac secrets struct copy pprint dataclasses enum typing abc heapq bisect array contextlib argparse shlex
fnmatch glob pathlib os.path tempfile shutil zlib gzip zipfile tarfile sqlite3 uuid urllib.parse html
xml.etree.ElementTree traceback warnings logging inspect ast graphlib asyncio unittest""".split()

failed = []
for name in NAMES:
    try:
        importlib.import_module(name)
    except Exception as err:
        failed.append(f"{name}: {err!r}")
print("\n".join(failed) or f"imported {len(NAMES)} modules")

# A few of them doing real work, not just importing.
import hashlib, json, re, sqlite3, zlib, decimal, datetime, statistics, unicodedata, uuid
import xml.etree.ElementTree as ET

db = sqlite3.connect(":memory:")
db.execute("create table t (x)")
db.executemany("insert into t values (?)", [(1,), (2,), (3,)])
checks = [
    hashlib.sha256(b"abc").hexdigest().startswith("ba7816bf"),
    json.loads(json.dumps({"a": [1, 2]})) == {"a": [1, 2]},
    re.sub(r"\d+", "#", "a1b22") == "a#b#",
    db.execute("select sum(x) from t").fetchone()[0] == 6,
    zlib.decompress(zlib.compress(b"x" * 100)) == b"x" * 100,
    str(decimal.Decimal("0.1") + decimal.Decimal("0.2")) == "0.3",
    datetime.date(2024, 2, 29).isoformat() == "2024-02-29",
    statistics.median([3, 1, 2]) == 2,
    unicodedata.name("é") == "LATIN SMALL LETTER E WITH ACUTE",
    uuid.UUID(str(uuid.uuid4())).version == 4,
    ET.fromstring("<a><b>t</b></a>").find("b").text == "t",
]
print("smoke ok" if all(checks) else f"smoke failed: {checks}")
