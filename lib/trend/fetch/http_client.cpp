// SPDX-License-Identifier: MIT
#include "trend/fetch/http_client.hpp"

#include "trend/fetch/address.hpp"
#include "trend/log/log.hpp"

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <curl/curl.h>

#include <cstdint>
#include <stdexcept>

#include <sys/socket.h>

namespace trend::fetch {

namespace asio = boost::asio;
using SteadyClock = std::chrono::steady_clock;

/** One transfer in flight: the easy handle and everything its C callbacks write into. */
struct HttpClient::Transfer {
    std::uint64_t id = 0;
    CURL* easy = nullptr;
    curl_slist* headers = nullptr;
    Request request;
    Response response;
    Handler handler;
    SteadyClock::time_point started;
    bool too_large = false;
    std::string blocked; ///< the first address refused by refuse_private_addresses
    char error[CURL_ERROR_SIZE] = {};

    ~Transfer() {
        curl_slist_free_all(headers);
        if (easy != nullptr)
            curl_easy_cleanup(easy);
    }

    static std::size_t on_write(char* data, std::size_t size, std::size_t n, void* self) noexcept {
        auto* t = static_cast<Transfer*>(self);
        const std::size_t len = size * n;
        if (static_cast<std::int64_t>(t->response.body.size() + len) > t->request.max_body_bytes) {
            t->too_large = true;
            return 0; // CURLE_WRITE_ERROR: stop reading right here
        }
        try {
            t->response.body.append(data, len);
        } catch (...) {
            return 0;
        }
        return len;
    }

    /** Called for every address libcurl is about to connect to: a private one is refused. */
    static curl_socket_t on_open_socket(void* self, curlsocktype /*purpose*/,
                                        curl_sockaddr* address) noexcept {
        auto* t = static_cast<Transfer*>(self);
        const sockaddr* sa = &address->addr;
        const auto cls = classify(sa);
        if (!cls || !is_public(*cls)) {
            try {
                if (t->blocked.empty())
                    t->blocked = fmt::format("{} ({})", address_text(sa),
                                             cls ? to_string(*cls) : "not an IP address");
            } catch (...) {
            }
            return CURL_SOCKET_BAD;
        }
        return ::socket(address->family, address->socktype, address->protocol);
    }
};

/** A socket libcurl asked us to watch. The descriptor is never ours: it is released, never
 *  closed, when libcurl says CURL_POLL_REMOVE (curl may keep the fd in its cache and reuse it). */
struct HttpClient::SocketWatch {
    asio::posix::stream_descriptor descriptor;
    int fd;
    int what = 0;
    bool reading = false;
    bool writing = false;
    bool removed = false;

    SocketWatch(asio::io_context& io, int f) : descriptor(io, f), fd(f) {}
    ~SocketWatch() { stop(); }

    void stop() noexcept {
        removed = true;
        if (descriptor.is_open()) {
            boost::system::error_code ignored;
            descriptor.cancel(ignored);
            (void)descriptor.release();
        }
    }
};

void global_init() {
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

HttpClient::HttpClient(asio::io_context& io)
    : m_io(io), m_timer(io), m_multi(curl_multi_init()), m_alive(std::make_shared<bool>(true)) {
    if (m_multi == nullptr)
        throw std::runtime_error("curl_multi_init failed");
    curl_multi_setopt(m_multi, CURLMOPT_SOCKETFUNCTION, &HttpClient::on_socket);
    curl_multi_setopt(m_multi, CURLMOPT_SOCKETDATA, this);
    curl_multi_setopt(m_multi, CURLMOPT_TIMERFUNCTION, &HttpClient::on_timer);
    curl_multi_setopt(m_multi, CURLMOPT_TIMERDATA, this);
}

HttpClient::~HttpClient() {
    *m_alive = false;
    cancel_all();
    m_timer.cancel();
    // curl_multi_cleanup may still call on_socket(CURL_POLL_REMOVE); the watches must outlive it.
    curl_multi_cleanup(m_multi);
    for (auto& [fd, w] : m_sockets)
        w->stop();
}

std::uint64_t HttpClient::start(Request request, Handler on_done) {
    auto t = std::make_unique<Transfer>();
    t->id = m_next_id++;
    t->easy = curl_easy_init();
    if (t->easy == nullptr)
        throw std::runtime_error("curl_easy_init failed");
    t->request = std::move(request);
    t->handler = std::move(on_done);
    const Request& r = t->request;
    CURL* e = t->easy;

    curl_easy_setopt(e, CURLOPT_URL, r.url.c_str());
    curl_easy_setopt(e, CURLOPT_PRIVATE,
                     reinterpret_cast<void*>(static_cast<std::uintptr_t>(t->id)));
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->error);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &Transfer::on_write);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, t.get());
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(r.connect_timeout.count()));
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(r.total_timeout.count()));
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(e, CURLOPT_MAXREDIRS, r.max_redirects);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, r.allow_file ? "http,https,file" : "http,https");
    curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, ""); // every encoding libcurl can decode
    curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(r.max_body_bytes));
    if (!r.user_agent.empty())
        curl_easy_setopt(e, CURLOPT_USERAGENT, r.user_agent.c_str());
    if (r.refuse_private_addresses) {
        curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, &Transfer::on_open_socket);
        curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, t.get());
        curl_easy_setopt(e, CURLOPT_NOPROXY, "*"); // a proxy would connect for us, unchecked
        curl_easy_setopt(e, CURLOPT_FRESH_CONNECT, 1L);
        curl_easy_setopt(e, CURLOPT_FORBID_REUSE, 1L);
    }
    if (r.method == "POST") {
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(r.body.size()));
        curl_easy_setopt(e, CURLOPT_COPYPOSTFIELDS, r.body.c_str());
    }
    std::vector<std::string> lines = r.headers;
    if (!r.if_none_match.empty())
        lines.push_back("If-None-Match: " + r.if_none_match);
    if (!r.if_modified_since.empty())
        lines.push_back("If-Modified-Since: " + r.if_modified_since);
    for (const std::string& h : lines)
        t->headers = curl_slist_append(t->headers, h.c_str());
    if (t->headers != nullptr)
        curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->headers);

    t->started = SteadyClock::now();
    const std::uint64_t id = t->id;
    Transfer* raw = t.get();
    m_transfers.emplace(id, std::move(t));
    if (const CURLMcode rc = curl_multi_add_handle(m_multi, e); rc != CURLM_OK) {
        raw->response.error = curl_multi_strerror(rc);
        finish(id, CURLE_FAILED_INIT);
    }
    return id;
}

void HttpClient::cancel_all() {
    while (!m_transfers.empty())
        finish(m_transfers.begin()->first, CURLE_ABORTED_BY_CALLBACK);
}

int HttpClient::on_socket(void* /*easy*/, int fd, int what, void* self, void* socketp) noexcept {
    auto* client = static_cast<HttpClient*>(self);
    try {
        if (what == CURL_POLL_REMOVE) {
            if (auto it = client->m_sockets.find(fd); it != client->m_sockets.end()) {
                it->second->stop();
                client->m_sockets.erase(it);
            }
            return 0;
        }
        if (socketp == nullptr) {
            // A socket curl has not told us about: a stale watch with the same fd number
            // belongs to a socket that is gone.
            if (auto it = client->m_sockets.find(fd); it != client->m_sockets.end()) {
                it->second->stop();
                client->m_sockets.erase(it);
            }
        }
        client->watch(fd, what);
        return 0;
    } catch (const std::exception& e) {
        log::error("fetch", "cannot watch socket {}: {}", fd, e.what());
        return -1;
    }
}

int HttpClient::on_timer(CURLM* /*multi*/, long timeout_ms, void* self) noexcept {
    auto* client = static_cast<HttpClient*>(self);
    try {
        const std::uint64_t generation = ++client->m_timer_generation;
        if (timeout_ms <= 0) {
            client->m_timer.cancel();
            if (timeout_ms == 0) {
                // Never call socket_action from inside this callback (it would recurse): run
                // it from the loop. Posted rather than a 0 ms timer, which costs two
                // timerfd_settime calls, as often as twice per transfer.
                asio::post(client->m_io, [client, generation, alive = client->m_alive] {
                    if (*alive && client->m_timer_generation == generation)
                        client->socket_action(CURL_SOCKET_TIMEOUT, 0);
                });
            }
            return 0;
        }
        client->m_timer.expires_after(std::chrono::milliseconds(timeout_ms));
        client->m_timer.async_wait([client, alive = client->m_alive](boost::system::error_code ec) {
            if (!*alive || ec)
                return;
            client->socket_action(CURL_SOCKET_TIMEOUT, 0);
        });
        return 0;
    } catch (const std::exception& e) {
        log::error("fetch", "cannot arm the transfer timer: {}", e.what());
        return -1;
    }
}

void HttpClient::watch(int fd, int what) {
    auto it = m_sockets.find(fd);
    if (it == m_sockets.end()) {
        auto w = std::make_shared<SocketWatch>(m_io, fd);
        it = m_sockets.emplace(fd, std::move(w)).first;
        curl_multi_assign(m_multi, fd, it->second.get());
    }
    it->second->what = what;
    arm(it->second);
}

void HttpClient::arm(const std::shared_ptr<SocketWatch>& w) {
    auto wait = [this, w](asio::posix::descriptor_base::wait_type type, bool& pending, int flag) {
        if (pending)
            return;
        pending = true;
        w->descriptor.async_wait(
            type, [this, w, &pending, flag, alive = m_alive](boost::system::error_code ec) {
                pending = false;
                if (!*alive || w->removed || ec == asio::error::operation_aborted)
                    return;
                socket_action(w->fd, ec ? CURL_CSELECT_ERR : flag);
                if (!w->removed && *alive)
                    arm(w);
            });
    };
    if ((w->what & CURL_POLL_IN) != 0)
        wait(asio::posix::descriptor_base::wait_read, w->reading, CURL_CSELECT_IN);
    if ((w->what & CURL_POLL_OUT) != 0)
        wait(asio::posix::descriptor_base::wait_write, w->writing, CURL_CSELECT_OUT);
}

void HttpClient::socket_action(int fd, int ev_bitmask) {
    int running = 0;
    curl_multi_socket_action(m_multi, fd, ev_bitmask, &running);
    collect_finished();
}

void HttpClient::collect_finished() {
    int left = 0;
    while (CURLMsg* msg = curl_multi_info_read(m_multi, &left)) {
        if (msg->msg != CURLMSG_DONE)
            continue;
        // msg dies with curl_multi_remove_handle: copy what we need first.
        void* priv = nullptr;
        curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &priv);
        const int code = msg->data.result;
        finish(static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(priv)), code);
    }
}

namespace {

Transport transport_of(int code, bool too_large) {
    switch (code) {
    case CURLE_OK:
        return Transport::complete;
    case CURLE_OPERATION_TIMEDOUT:
        return Transport::timeout;
    case CURLE_FILESIZE_EXCEEDED:
        return Transport::too_large;
    case CURLE_WRITE_ERROR:
        return too_large ? Transport::too_large : Transport::network_error;
    case CURLE_PARTIAL_FILE:
        return Transport::truncated;
    case CURLE_TOO_MANY_REDIRECTS:
        return Transport::redirect_loop;
    case CURLE_ABORTED_BY_CALLBACK:
        return Transport::cancelled;
    default:
        return Transport::network_error;
    }
}

std::string header_value(CURL* easy, const char* name) {
    curl_header* h = nullptr;
    if (curl_easy_header(easy, name, 0, CURLH_HEADER, -1, &h) == CURLHE_OK && h != nullptr)
        return h->value;
    return {};
}

} // namespace

void HttpClient::finish(std::uint64_t id, int curl_code) {
    auto node = m_transfers.extract(id);
    if (node.empty())
        return;
    std::unique_ptr<Transfer> t = std::move(node.mapped());
    curl_multi_remove_handle(m_multi, t->easy);

    Response& r = t->response;
    r.transport = transport_of(curl_code, t->too_large);
    if (!t->blocked.empty() && r.transport == Transport::network_error)
        r.transport = Transport::blocked_address;
    r.duration =
        std::chrono::duration_cast<std::chrono::milliseconds>(SteadyClock::now() - t->started);
    r.bytes = static_cast<std::int64_t>(r.body.size());
    curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &r.http_status);
    if (char* ct = nullptr;
        curl_easy_getinfo(t->easy, CURLINFO_CONTENT_TYPE, &ct) == CURLE_OK && ct)
        r.content_type = ct;
    if (char* u = nullptr; curl_easy_getinfo(t->easy, CURLINFO_EFFECTIVE_URL, &u) == CURLE_OK && u)
        r.effective_url = u;
    if (curl_off_t ra = 0;
        curl_easy_getinfo(t->easy, CURLINFO_RETRY_AFTER, &ra) == CURLE_OK && ra > 0)
        r.retry_after = Seconds{ra};
    if (r.http_status != 0) {
        r.etag = header_value(t->easy, "ETag");
        r.last_modified = header_value(t->easy, "Last-Modified");
    }
    if (r.transport == Transport::too_large)
        r.error = fmt::format("response body over the cap of {} bytes", t->request.max_body_bytes);
    else if (r.transport == Transport::cancelled)
        r.error = "cancelled";
    else if (r.transport == Transport::blocked_address)
        r.error =
            fmt::format("refused to connect to {}: only public addresses are fetched", t->blocked);
    else if (r.transport != Transport::complete && r.error.empty())
        r.error =
            t->error[0] != '\0' ? t->error : curl_easy_strerror(static_cast<CURLcode>(curl_code));
    if (r.transport == Transport::too_large || r.transport == Transport::cancelled)
        r.body.clear();

    asio::post(m_io, [handler = std::move(t->handler), response = std::move(r)]() mutable {
        handler(std::move(response));
    });
}

} // namespace trend::fetch
