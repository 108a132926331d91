#!/usr/bin/env python3
"""Packs the local Patched.DistributedLock.Core shim into build/packages (see README.md)."""
import pathlib, zipfile

here = pathlib.Path(__file__).resolve().parent
nuspec = here / "Patched.DistributedLock.Core" / "Patched.DistributedLock.Core.nuspec"
out = here.parent / "packages" / "patched.distributedlock.core.1.0.11.nupkg"
content_types = """<?xml version="1.0" encoding="utf-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
  <Default Extension="nuspec" ContentType="application/octet" />
  <Default Extension="_" ContentType="application/octet" />
</Types>"""
fixed = (2020, 1, 1, 0, 0, 0)  # fixed timestamps keep the package byte-for-byte reproducible
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    for name, data in [("[Content_Types].xml", content_types),
                       ("Patched.DistributedLock.Core.nuspec", nuspec.read_text()),
                       ("lib/net8.0/_._", ""),
                       ("lib/netstandard2.0/_._", "")]:
        z.writestr(zipfile.ZipInfo(name, fixed), data)
print(out)
