"""The package for the province (gói hồ sơ gửi tỉnh): export, verification, acknowledgement.

Format in docs/package-format.md; `service.PackageService` is the one entry point.
"""
