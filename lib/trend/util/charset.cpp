// SPDX-License-Identifier: MIT
#include "trend/util/charset.hpp"

#include "trend/util/text.hpp"

#include <unicode/ucnv.h>
#include <unicode/utypes.h>

#include <memory>

namespace trend::text {

namespace {

std::string trimmed_lower(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '"' ||
                          s.front() == '\''))
        s.remove_prefix(1);
    while (!s.empty() &&
           (s.back() == ' ' || s.back() == '\t' || s.back() == '"' || s.back() == '\''))
        s.remove_suffix(1);
    return ascii_lower(s);
}

using Converter = std::unique_ptr<UConverter, decltype(&ucnv_close)>;

} // namespace

std::optional<std::string> to_utf8(std::string_view bytes, std::string_view charset) {
    std::string label = trimmed_lower(charset);
    if (label == "utf-8" || label == "utf8" || label == "unicode-1-1-utf-8")
        return repair_utf8(bytes);
    // WHATWG Encoding: these labels mean windows-1252 on the web.
    if (label == "iso-8859-1" || label == "iso8859-1" || label == "latin1" ||
        label == "l1" || label == "us-ascii" || label == "ascii" || label == "iso_8859-1" ||
        label == "cp819" || label == "ibm819")
        label = "windows-1252";
    if (label.empty() || label.size() > 64)
        return std::nullopt;
    UErrorCode status = U_ZERO_ERROR;
    Converter from(ucnv_open(label.c_str(), &status), &ucnv_close);
    if (U_FAILURE(status) || !from)
        return std::nullopt;
    // Invalid input becomes U+FFFD (ICU's default substitution for a Unicode target).
    std::string out(bytes.size() * 3 + 16, '\0');
    status = U_ZERO_ERROR;
    const int32_t n = ucnv_toAlgorithmic(UCNV_UTF8, from.get(), out.data(),
                                         static_cast<int32_t>(out.size()), bytes.data(),
                                         static_cast<int32_t>(bytes.size()), &status);
    if (status == U_BUFFER_OVERFLOW_ERROR) {
        out.assign(static_cast<std::size_t>(n) + 1, '\0');
        status = U_ZERO_ERROR;
        ucnv_resetToUnicode(from.get());
        ucnv_toAlgorithmic(UCNV_UTF8, from.get(), out.data(), static_cast<int32_t>(out.size()),
                           bytes.data(), static_cast<int32_t>(bytes.size()), &status);
    }
    if (U_FAILURE(status))
        return std::nullopt;
    out.resize(static_cast<std::size_t>(n));
    return repair_utf8(out); // ICU's output is valid; this also drops nothing, it is a guard
}

std::optional<Bom> bom_of(std::string_view b) noexcept {
    if (b.size() >= 3 && b.substr(0, 3) == "\xEF\xBB\xBF")
        return Bom{"UTF-8", 3};
    if (b.size() >= 2 && b.substr(0, 2) == "\xFF\xFE")
        return Bom{"UTF-16LE", 2};
    if (b.size() >= 2 && b.substr(0, 2) == "\xFE\xFF")
        return Bom{"UTF-16BE", 2};
    return std::nullopt;
}

std::string charset_of_content_type(std::string_view ct) {
    const std::string lower = ascii_lower(ct);
    std::size_t pos = lower.find("charset");
    while (pos != std::string::npos) {
        std::size_t i = pos + 7;
        while (i < lower.size() && (lower[i] == ' ' || lower[i] == '\t'))
            ++i;
        if (i < lower.size() && lower[i] == '=') {
            ++i;
            std::size_t end = i;
            while (end < ct.size() && ct[end] != ';')
                ++end;
            return trimmed_lower(ct.substr(i, end - i));
        }
        pos = lower.find("charset", pos + 7);
    }
    return {};
}

} // namespace trend::text
