#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The Debian package (CTest package.deb, label package): tests/package/check_package.py OUT_DIR

1. `scripts/package OUT_DIR` builds trendd_<version>_<arch>.deb with dpkg-buildpackage from a
   copy of the source tree, and lintian reports neither an error nor a warning (the script
   fails otherwise).
2. The .deb holds what docs/operations.md promises: both programs (stripped; their debug
   symbols in the automatic trendd-dbgsym package), the unit in /lib/systemd/system naming
   /usr/bin/trendd and the man page, the sysusers.d entry, /etc/trendd/trendd.toml as a conffile
   (the example configuration), the man pages, the bash and zsh completion, the documentation
   with the example alert rules and the Datasette metadata.
3. Its maintainer scripts create the user (systemd-sysusers), enable and start the unit on
   install, stop it on remove, and remove /etc/trendd and /var/lib/trendd on purge only.
The package is installed, started, removed and purged under a real systemd by the system test
(tests/system/run.sh).
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration"))
import harness as h  # noqa: E402

EXPECTED_FILES = [
    "./usr/bin/trendd",
    "./usr/bin/trendctl",
    "./lib/systemd/system/trendd.service",
    "./usr/lib/sysusers.d/trendd.conf",
    "./etc/trendd/trendd.toml",
    "./usr/share/man/man8/trendd.8.gz",
    "./usr/share/man/man1/trendctl.1.gz",
    "./usr/share/man/man5/trendd.toml.5.gz",
    "./usr/share/bash-completion/completions/trendctl",
    "./usr/share/zsh/vendor-completions/_trendctl",
    "./usr/share/doc/trendd/copyright",
    "./usr/share/doc/trendd/changelog.Debian.gz",
    "./usr/share/doc/trendd/README.md",
    "./usr/share/doc/trendd/operations.md",
    "./usr/share/doc/trendd/trendd.toml.example",
    "./usr/share/doc/trendd/datasette-metadata.json",
    "./usr/share/doc/trendd/examples/trendd-alerts.yml",
    "./usr/share/doc/trendd/examples/trendd-metrics.service",
    "./usr/share/doc/trendd/examples/trendd-metrics.timer",
]


def test(work: h.WorkDir) -> None:
    if len(sys.argv) != 2:
        h.fail("usage: check_package.py OUT_DIR")
    for tool in ("dpkg-buildpackage", "dh", "lintian"):
        if shutil.which(tool) is None:
            h.skip(f"{tool} not found (Debian packages dpkg-dev, debhelper, lintian: scripts/install-deps)")
    out = Path(sys.argv[1])
    src = h.source_dir()
    cp = h.run([src / "scripts" / "package", out], timeout=1500)
    print(cp.stdout[-6000:], end="")
    h.expect_exit(cp, 0, "scripts/package")

    version = h.run(["dpkg-parsechangelog", "-l", src / "debian" / "changelog", "-S", "Version"],
                    quiet=True).stdout.strip()
    arch = h.run(["dpkg-architecture", "-q", "DEB_HOST_ARCH"], quiet=True).stdout.strip()
    deb = out / f"trendd_{version}_{arch}.deb"
    dbgsym = out / f"trendd-dbgsym_{version}_{arch}.deb"
    h.true(deb.is_file() and dbgsym.is_file(), f"{deb.name} and {dbgsym.name} in {out}")

    c = h.Checker(deb.name)
    listing = h.run(["dpkg-deb", "--contents", deb], quiet=True).stdout
    files = {line.split()[-1] if " -> " not in line else line.split()[-3] for line in listing.splitlines()}
    c.eq(sorted(f for f in EXPECTED_FILES if f not in files), [], "files missing from the package")

    root = work.mkdir("root")
    h.expect_exit(h.run(["dpkg-deb", "--raw-extract", deb, root], quiet=True), 0, "dpkg-deb -R")
    c.eq((root / "DEBIAN" / "conffiles").read_text().split(), ["/etc/trendd/trendd.toml"], "conffiles")
    c.eq((root / "etc/trendd/trendd.toml").read_bytes(), (src / "examples" / "trendd.toml").read_bytes(),
         "/etc/trendd/trendd.toml is examples/trendd.toml")
    fields = (root / "DEBIAN" / "control").read_text()
    c.true(re.search(r"^Depends:.*\blibsystemd0\b", fields, re.M), f"Depends names libsystemd0:\n{fields}")
    c.true(re.search(r"^Depends:.*systemd \| systemd-standalone-sysusers", fields, re.M),
           "Depends names systemd (for systemd-sysusers)")

    for binary in ("trendd", "trendctl"):
        sections = h.run(["readelf", "--section-headers", root / "usr" / "bin" / binary], quiet=True).stdout
        c.true(".debug_info" not in sections and ".symtab" not in sections, f"/usr/bin/{binary} is stripped")
        dynamic = h.run(["readelf", "--dynamic", root / "usr" / "bin" / binary], quiet=True).stdout
        c.true("BIND_NOW" in dynamic or "NOW" in dynamic, f"/usr/bin/{binary} is linked with -z now")
    dbg = h.run(["dpkg-deb", "--contents", dbgsym], quiet=True).stdout
    c.true(len(re.findall(r"/usr/lib/debug/\.build-id/.*\.debug", dbg)) == 2,
           f"{dbgsym.name} holds the debug symbols of both programs:\n{dbg}")

    unit = (root / "lib" / "systemd" / "system" / "trendd.service").read_text()
    c.true(re.search(r"^ExecStart=/usr/bin/trendd --config=/etc/trendd/trendd.toml$", unit, re.M),
           "the unit runs /usr/bin/trendd --config=/etc/trendd/trendd.toml")
    c.true(re.search(r"^Documentation=.*man:trendd\(8\)", unit, re.M), "the unit's Documentation= names trendd(8)")
    c.true(Path(re.search(r"^Documentation=.*file:(\S+)", unit, re.M).group(1).lstrip("/")).as_posix()
           in {f.lstrip("./") for f in files}, "the unit's Documentation= file is in the package")

    postinst = (root / "DEBIAN" / "postinst").read_text()
    prerm = (root / "DEBIAN" / "prerm").read_text()
    postrm = (root / "DEBIAN" / "postrm").read_text()
    c.true("systemd-sysusers" in postinst and "trendd.conf" in postinst, "postinst runs systemd-sysusers trendd.conf")
    c.true("deb-systemd-helper" in postinst and "trendd.service" in postinst, "postinst enables trendd.service")
    c.true("_dh_action=start" in postinst and "deb-systemd-invoke $_dh_action 'trendd.service'" in postinst,
           "postinst starts trendd.service")
    c.true(re.search(r"deb-systemd-invoke stop", prerm), "prerm stops trendd.service")
    c.true(re.search(r'if \[ "\$1" = "purge" \]; then\n\s*rm -rf /etc/trendd /var/lib/trendd\n', postrm),
           "postrm removes /etc/trendd and /var/lib/trendd on purge only")
    c.done()
    h.log(f"ok: {deb.name}: {len(files)} paths, conffile, stripped programs, dbgsym, maintainer scripts")


if __name__ == "__main__":
    h.main(test, timeout=1700)
