"""Go: archive entry names (archive/zip, archive/tar) written under a directory without a
containment check are zip slip; `IsLocal`, `filepath.Rel`, a cleaned-prefix check, `Base`
and a rooted `Clean` keep them inside, and other `.Name` fields are not entry names."""

import pytest

from tests.analysis.security.review import review, rule_lines

ZIP_HEAD = [
    "package backup",
    "",
    'import ("archive/zip"; "io"; "os"; "path/filepath"; "strings")',
    "",
]
TAR_HEAD = [
    "package backup",
    "",
    'import ("archive/tar"; "compress/gzip"; "io"; "os"; "path/filepath")',
    "",
]


def _zip_restore(*checks: str, target: str = "filepath.Join(into, entry.Name)") -> list[str]:
    return [
        "func restore(archive string, into string) error {",
        "\tzr, err := zip.OpenReader(archive)",
        "\tif err != nil {",
        "\t\treturn err",
        "\t}",
        "\tdefer zr.Close()",
        "\tfor _, entry := range zr.File {",
        *checks,
        f"\t\tdst := {target}",
        "\t\tw, err := os.Create(dst)",
        "\t\tif err != nil {",
        "\t\t\treturn err",
        "\t\t}",
        "\t\tr, _ := entry.Open()",
        "\t\t_, _ = io.Copy(w, r)",
        "\t}",
        "\treturn nil",
        "}",
    ]


def test_zip_entry_joined_under_the_directory_and_created(build):
    findings = rule_lines(review(build, "internal/backup/restore.go", ZIP_HEAD + _zip_restore()))
    assert findings == [("path-traversal", 13)]


def test_a_check_that_only_logs_does_not_protect(build):
    checks = ["\t\tif !filepath.IsLocal(entry.Name) {", '\t\t\tlog.Printf("odd name")', "\t\t}"]
    code = ZIP_HEAD + _zip_restore(*checks)
    assert rule_lines(review(build, "internal/backup/restore.go", code)) == [("path-traversal", 16)]


@pytest.mark.parametrize(
    ("checks", "target"),
    [
        (["\t\tif !filepath.IsLocal(entry.Name) {", "\t\t\tcontinue", "\t\t}"],
         "filepath.Join(into, entry.Name)"),
        ([], "filepath.Join(into, filepath.Base(entry.Name))"),
        ([], 'filepath.Join(into, filepath.Clean("/"+entry.Name))'),
        (["\t\tif strings.Contains(entry.Name, \"..\") {", "\t\t\tbreak", "\t\t}"],
         "filepath.Join(into, entry.Name)"),
    ],
)  # fmt: skip
def test_checked_zip_entry_names_stay_quiet(build, checks, target):
    code = ZIP_HEAD + _zip_restore(*checks, target=target)
    assert rule_lines(review(build, "internal/backup/restore.go", code)) == []


def test_prefix_check_on_the_cleaned_target_stays_quiet(build):
    code = [
        *ZIP_HEAD,
        "func place(entry *zip.File, into string) (*os.File, error) {",
        "\tdst := filepath.Join(into, entry.Name)",
        "\tbase := filepath.Clean(into) + string(os.PathSeparator)",
        "\tif !strings.HasPrefix(filepath.Clean(dst), base) {",
        "\t\treturn nil, os.ErrPermission",
        "\t}",
        "\treturn os.OpenFile(dst, os.O_CREATE|os.O_WRONLY, 0o600)",
        "}",
    ]
    assert rule_lines(review(build, "internal/backup/place.go", code)) == []


def test_zip_file_parameter_is_an_entry(build):
    code = [
        *ZIP_HEAD,
        "func place(entry *zip.File, into string) (*os.File, error) {",
        "\treturn os.OpenFile(filepath.Join(into, entry.Name), os.O_CREATE|os.O_WRONLY, 0o600)",
        "}",
    ]
    assert rule_lines(review(build, "internal/backup/place.go", code)) == [("path-traversal", 6)]


def _tar_restore(*lines: str) -> list[str]:
    return [
        "func unpack(src io.Reader, into string) error {",
        "\tgz, err := gzip.NewReader(src)",
        "\tif err != nil {",
        "\t\treturn err",
        "\t}",
        "\ttr := tar.NewReader(gz)",
        "\tfor {",
        "\t\thdr, err := tr.Next()",
        "\t\tif err != nil {",
        "\t\t\treturn err",
        "\t\t}",
        *lines,
        "\t}",
        "}",
    ]


def test_tar_header_name_written_is_zip_slip(build):
    body = _tar_restore(
        "\t\tout := filepath.Join(into, hdr.Name)",
        "\t\tif err := os.WriteFile(out, nil, 0o600); err != nil {",
        "\t\t\treturn err",
        "\t\t}",
    )
    findings = rule_lines(review(build, "internal/backup/unpack.go", TAR_HEAD + body))
    assert findings == [("path-traversal", 17)]


def test_tar_symlink_target_escaping_is_reported_even_when_the_name_is_checked(build):
    body = _tar_restore(
        "\t\tif !filepath.IsLocal(hdr.Name) {",
        "\t\t\treturn os.ErrPermission",
        "\t\t}",
        "\t\t_ = os.Symlink(hdr.Linkname, filepath.Join(into, hdr.Name))",
    )
    findings = rule_lines(review(build, "internal/backup/unpack.go", TAR_HEAD + body))
    assert findings == [("path-traversal", 19)]


@pytest.mark.parametrize(
    "condition",
    ['err != nil || strings.HasPrefix(rel, "..")', "err != nil || !filepath.IsLocal(rel)"],
)
def test_rel_checked_tar_entry_stays_quiet(build, condition):
    body = _tar_restore(
        "\t\tout := filepath.Join(into, hdr.Name)",
        "\t\trel, err := filepath.Rel(into, out)",
        f"\t\tif {condition} {{",
        "\t\t\treturn os.ErrPermission",
        "\t\t}",
        "\t\t_ = os.WriteFile(out, nil, 0o600)",
    )
    assert rule_lines(review(build, "internal/backup/unpack.go", TAR_HEAD + body)) == []


def test_other_name_fields_are_not_entry_names(build):
    code = [
        "package backup",
        "",
        'import ("database/sql"; "os"; "path/filepath")',
        "",
        "func export(rows *sql.Rows, reports []Report, into string) {",
        "\tfor _, report := range reports {",
        "\t\t_, _ = os.Create(filepath.Join(into, report.Name))",
        "\t}",
        "\tfor rows.Next() {",
        "\t\tvar item Item",
        "\t\t_ = rows.Scan(&item.Name)",
        "\t\t_, _ = os.Create(filepath.Join(into, item.Name))",
        "\t}",
        "}",
    ]
    assert rule_lines(review(build, "internal/backup/export.go", code)) == []
