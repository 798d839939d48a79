// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

struct sockaddr;

/**
 * Which IP addresses a fetcher of untrusted URLs may connect to (server-side request forgery).
 * Pure: no I/O, no resolver. The HTTP client asks it about every address it is about to
 * connect to, redirects included (Request::refuse_private_addresses).
 */
namespace trend::fetch {

/** What an address is, for the purpose of connecting to it. Only `global` is public. */
enum class AddressClass {
    global,        ///< an ordinary Internet address
    unspecified,   ///< 0.0.0.0/8 ("this network"), ::
    loopback,      ///< 127.0.0.0/8, ::1
    private_use,   ///< RFC 1918 (10/8, 172.16/12, 192.168/16), fc00::/7, fec0::/10, 64:ff9b:1::/48
    shared,        ///< 100.64.0.0/10, carrier-grade NAT (RFC 6598)
    link_local,    ///< 169.254.0.0/16, fe80::/10
    multicast,     ///< 224.0.0.0/4, ff00::/8
    reserved,      ///< 240.0.0.0/4, 255.255.255.255, 192.0.0.0/24, 198.18.0.0/15, 100::/64,
                   ///< 2001::/23 (Teredo, ORCHID...), anything else not meant to be reached
    documentation, ///< 192.0.2/24, 198.51.100/24, 203.0.113/24, 2001:db8::/32, 3fff::/20
};

/** An IPv4 (4 bytes) or IPv6 (16 bytes) address in network byte order. */
struct IpAddress {
    bool v6 = false;
    std::array<std::uint8_t, 16> bytes{}; ///< the first 4 for IPv4
};

/** The class of an address. An IPv6 address that carries an IPv4 one (IPv4-mapped ::ffff:0:0/96,
 *  IPv4-compatible ::/96, NAT64 64:ff9b::/96, 6to4 2002::/16) takes the class of the IPv4
 *  address it carries, so ::ffff:127.0.0.1 is loopback. */
[[nodiscard]] AddressClass classify(const IpAddress& a) noexcept;

/** classify() of a socket address (AF_INET or AF_INET6); nullopt for any other family. */
[[nodiscard]] std::optional<AddressClass> classify(const sockaddr* sa) noexcept;

/** Parses a numeric address ("10.0.0.1", "::ffff:7f00:1"); nullopt when it is not one. */
[[nodiscard]] std::optional<IpAddress> parse_ip(std::string_view text) noexcept;

/** The numeric form of an address ("127.0.0.1", "::1"). */
[[nodiscard]] std::string to_string(const IpAddress& a);
/** The numeric form of a socket address, "" for other families. */
[[nodiscard]] std::string address_text(const sockaddr* sa);

/** "global", "loopback", "private", "shared (CGNAT)", ... for messages. */
[[nodiscard]] std::string_view to_string(AddressClass c) noexcept;

/** Whether a fetcher of untrusted URLs may connect there: only global addresses. */
[[nodiscard]] constexpr bool is_public(AddressClass c) noexcept {
    return c == AddressClass::global;
}

} // namespace trend::fetch
