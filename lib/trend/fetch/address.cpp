// SPDX-License-Identifier: MIT
#include "trend/fetch/address.hpp"

#include <cstring>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

namespace trend::fetch {

namespace {

/** Whether the first `bits` bits of `a` are those of `prefix`. */
bool in(const std::uint8_t* a, std::initializer_list<std::uint8_t> prefix, int bits) noexcept {
    const std::uint8_t* p = prefix.begin();
    for (int i = 0; bits > 0; ++i, bits -= 8) {
        const std::uint8_t mask = bits >= 8 ? 0xff : static_cast<std::uint8_t>(0xff << (8 - bits));
        if ((a[i] & mask) != (p[i] & mask))
            return false;
    }
    return true;
}

AddressClass classify_v4(const std::uint8_t* a) noexcept {
    using C = AddressClass;
    struct Range {
        std::initializer_list<std::uint8_t> prefix;
        int bits;
        C cls;
    };
    // IANA IPv4 Special-Purpose Address Registry (RFC 6890 and its updates).
    static const Range k_ranges[] = {
        {{0}, 8, C::unspecified},
        {{10}, 8, C::private_use},
        {{100, 64}, 10, C::shared},
        {{127}, 8, C::loopback},
        {{169, 254}, 16, C::link_local},
        {{172, 16}, 12, C::private_use},
        {{192, 0, 0}, 24, C::reserved},
        {{192, 0, 2}, 24, C::documentation},
        {{192, 88, 99}, 24, C::reserved},
        {{192, 168}, 16, C::private_use},
        {{198, 18}, 15, C::reserved},
        {{198, 51, 100}, 24, C::documentation},
        {{203, 0, 113}, 24, C::documentation},
        {{224}, 4, C::multicast},
        {{240}, 4, C::reserved}, // and 255.255.255.255
    };
    for (const Range& r : k_ranges)
        if (in(a, r.prefix, r.bits))
            return r.cls;
    return C::global;
}

bool all_zero(const std::uint8_t* a, std::size_t n) noexcept {
    for (std::size_t i = 0; i < n; ++i)
        if (a[i] != 0)
            return false;
    return true;
}

AddressClass classify_v6(const std::uint8_t* a) noexcept {
    using C = AddressClass;
    if (all_zero(a, 16))
        return C::unspecified;
    if (all_zero(a, 15) && a[15] == 1)
        return C::loopback;
    // Addresses that carry an IPv4 address are what that address is.
    if (all_zero(a, 10) && a[10] == 0xff && a[11] == 0xff) // ::ffff:0:0/96, mapped
        return classify_v4(a + 12);
    if (all_zero(a, 12)) // ::/96, compatible (deprecated)
        return classify_v4(a + 12);
    if (in(a, {0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0}, 96)) // NAT64
        return classify_v4(a + 12);
    if (in(a, {0x20, 0x02}, 16)) // 6to4
        return classify_v4(a + 2);
    struct Range {
        std::initializer_list<std::uint8_t> prefix;
        int bits;
        C cls;
    };
    // IANA IPv6 Special-Purpose Address Registry.
    static const Range k_ranges[] = {
        {{0x00, 0x64, 0xff, 0x9b, 0x00, 0x01}, 48, C::private_use}, // local-use NAT64
        {{0x01, 0x00, 0, 0, 0, 0, 0, 0}, 64, C::reserved},          // discard-only
        {{0x20, 0x01, 0x0d, 0xb8}, 32, C::documentation},
        {{0x20, 0x01, 0x00}, 23, C::reserved}, // IETF protocol assignments, Teredo, ORCHID
        {{0x3f, 0xff, 0x00}, 20, C::documentation},
        {{0x5f, 0x00}, 16, C::reserved}, // SRv6 SIDs
        {{0xfc}, 7, C::private_use},     // unique local
        {{0xfe, 0x80}, 10, C::link_local},
        {{0xfe, 0xc0}, 10, C::private_use}, // site-local (deprecated)
        {{0xff}, 8, C::multicast},
    };
    for (const Range& r : k_ranges)
        if (in(a, r.prefix, r.bits))
            return r.cls;
    // Global unicast is 2000::/3; nothing else is allocated for the Internet.
    return in(a, {0x20}, 3) ? C::global : C::reserved;
}

/** The address of an AF_INET or AF_INET6 socket address. */
std::optional<IpAddress> ip_of(const sockaddr* sa) noexcept {
    if (sa == nullptr)
        return std::nullopt;
    IpAddress a;
    if (sa->sa_family == AF_INET) {
        sockaddr_in in4{};
        std::memcpy(&in4, sa, sizeof in4);
        std::memcpy(a.bytes.data(), &in4.sin_addr, 4);
    } else if (sa->sa_family == AF_INET6) {
        sockaddr_in6 in6{};
        std::memcpy(&in6, sa, sizeof in6);
        a.v6 = true;
        std::memcpy(a.bytes.data(), &in6.sin6_addr, 16);
    } else {
        return std::nullopt;
    }
    return a;
}

} // namespace

AddressClass classify(const IpAddress& a) noexcept {
    return a.v6 ? classify_v6(a.bytes.data()) : classify_v4(a.bytes.data());
}

std::optional<AddressClass> classify(const sockaddr* sa) noexcept {
    const auto a = ip_of(sa);
    return a ? std::optional(classify(*a)) : std::nullopt;
}

std::optional<IpAddress> parse_ip(std::string_view text) noexcept {
    char buf[INET6_ADDRSTRLEN + 1] = {};
    if (text.empty() || text.size() >= sizeof buf)
        return std::nullopt;
    std::memcpy(buf, text.data(), text.size());
    IpAddress a;
    if (::inet_pton(AF_INET, buf, a.bytes.data()) == 1)
        return a;
    a.v6 = true;
    if (::inet_pton(AF_INET6, buf, a.bytes.data()) == 1)
        return a;
    return std::nullopt;
}

std::string to_string(const IpAddress& a) {
    char buf[INET6_ADDRSTRLEN] = {};
    if (::inet_ntop(a.v6 ? AF_INET6 : AF_INET, a.bytes.data(), buf, sizeof buf) == nullptr)
        return {};
    return buf;
}

std::string address_text(const sockaddr* sa) {
    const auto a = ip_of(sa);
    return a ? to_string(*a) : std::string();
}

std::string_view to_string(AddressClass c) noexcept {
    switch (c) {
    case AddressClass::global:
        return "global";
    case AddressClass::unspecified:
        return "unspecified";
    case AddressClass::loopback:
        return "loopback";
    case AddressClass::private_use:
        return "private";
    case AddressClass::shared:
        return "shared (carrier-grade NAT)";
    case AddressClass::link_local:
        return "link-local";
    case AddressClass::multicast:
        return "multicast";
    case AddressClass::reserved:
        return "reserved";
    case AddressClass::documentation:
        return "documentation";
    }
    return "reserved";
}

} // namespace trend::fetch
