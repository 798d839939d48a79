// SPDX-License-Identifier: MIT
#pragma once

#include "trend/control/protocol.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>

#include <filesystem>
#include <functional>
#include <memory>
#include <stdexcept>
#include <vector>

namespace trend::control {

/** The control socket cannot be set up (another trendd answers on it, bind failed, ...). */
class ServerError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/**
 * The daemon's side of the control socket: accepts connections, reads one request per line
 * (at most k_max_request_bytes), hands it to the handler and writes the reply it gets back
 * (the handler may answer later, e.g. after a poll finished). Malformed or oversized requests
 * get an error reply. A client that sends no request is closed after 10 s, one that does not
 * read its reply after 30 s. At most 64 sessions at once; when full, the session that has been
 * silent longest is closed for the newcomer, so silent connections cannot lock out a
 * `trendctl status`. Lives on the io_context thread.
 */
class Server final {
public:
    using Respond = std::function<void(std::string reply_line)>;
    using Handler = std::function<void(const Request&, Respond)>;

private:
    struct Session;
    boost::asio::local::stream_protocol::acceptor m_acceptor;
    std::filesystem::path m_path;
    Handler m_handler;
    std::vector<std::weak_ptr<Session>> m_sessions; ///< the live ones (expired ones linger)

public:
    /** Binds `path` (mode 0660), replacing a stale socket file that nothing answers on.
     *  Throws ServerError when another process answers there or the bind fails. */
    Server(boost::asio::io_context& io, std::filesystem::path path, Handler handler);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    /** Stops accepting and removes the socket file. Sessions in progress finish. */
    void stop() noexcept;

private:
    void accept();
    /** Whether a new session fits: at most 64, the longest silent one closed to make room
     *  when full. False when every session waits for a reply of ours. */
    bool make_room();
};

} // namespace trend::control
