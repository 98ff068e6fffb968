;; sockets-denied: a core module that implements the wasi:sockets interfaces by refusing every request.
;;
;; Why: componentize-py's wasi-libc imports wasi:sockets although the Python guest never opens a socket, and a
;; Golem worker offers no wasi:sockets. Upstream: componentize-py has no way to leave unused WASI imports out
;; (bytecodealliance/componentize-py#66, answered with composing or virtualising them away, as done here). scripts/build-python.mjs turns this module into a component (world
;; `sockets-denied`, generated next to it) and composes it into exec-python.wasm, so that the sockets imports are
;; satisfied inside the component and disappear from its import list.
;;
;; Behaviour: every function that returns result<_, error-code> returns error-code.access-denied, which wasi-libc
;; turns into EACCES (Python: PermissionError). `instance-network` hands out a handle to a network resource that
;; grants nothing. No socket, datagram stream or resolver stream can ever be created, so their `subscribe` methods
;; (which would have to return a pollable this module cannot make) are unreachable.
;;
;; Names use the component-model name mangling of wasm-tools 1.262 (`cm32p2|<interface>|<function>`; the version
;; in the interface name is the `@0.2` compatibility prefix). Core signatures follow the canonical ABI: an export
;; whose results flatten to more than one value returns a pointer to them in this module's memory.
(module
  (import "cm32p2|_ex_wasi:sockets/network@0.2" "network_new" (func $network_new (param i32) (result i32)))

  (memory (export "cm32p2_memory") 1)

  ;; At offset 16: result<T, error-code> = err(access-denied) for every T used by wasi:sockets. The discriminant
  ;; byte is 1 (err); the error-code payload (one byte, value 1 = access-denied) sits at offset 1, 2, 4 or 8 after
  ;; it depending on T's alignment, so it is written at all four.
  (data (i32.const 16) "\01\01\01\00\01\00\00\00\01")
  (global $denied i32 (i32.const 16))

  ;; Strings passed in (host names for resolve-addresses) are copied to offset 1024 and never read: every call
  ;; reuses the same buffer, growing memory if a string is larger than what is there.
  (func (export "cm32p2_realloc") (param $old i32) (param $old_size i32) (param $align i32) (param $size i32)
    (result i32)
    (local $needed_pages i32)
    (local.set $needed_pages
      (i32.sub
        (i32.shr_u (i32.add (i32.add (i32.const 1024) (local.get $size)) (i32.const 65535)) (i32.const 16))
        (memory.size)))
    (if (i32.gt_s (local.get $needed_pages) (i32.const 0))
      (then
        (if (i32.eq (memory.grow (local.get $needed_pages)) (i32.const -1)) (then unreachable))))
    (i32.const 1024))

  ;; wasi:sockets/network: the resource is a token; dropping it frees nothing.
  (func (export "cm32p2|wasi:sockets/network@0.2|network_dtor") (param i32))

  ;; wasi:sockets/instance-network. The rep is 1, not 0: jco's handle tables take rep 0 for a free slot (no upstream
;; issue; how jco's resource tables mark free entries).
  (func (export "cm32p2|wasi:sockets/instance-network@0.2|instance-network") (result i32)
    (call $network_new (i32.const 1)))

  ;; wasi:sockets/tcp-create-socket, udp-create-socket, ip-name-lookup: the entry points, all refused.
  (func (export "cm32p2|wasi:sockets/tcp-create-socket@0.2|create-tcp-socket") (param i32) (result i32)
    (global.get $denied))
  (func (export "cm32p2|wasi:sockets/udp-create-socket@0.2|create-udp-socket") (param i32) (result i32)
    (global.get $denied))
  (func (export "cm32p2|wasi:sockets/ip-name-lookup@0.2|resolve-addresses") (param i32 i32 i32) (result i32)
    (global.get $denied))

  ;; wasi:sockets/tcp: methods of a tcp-socket (none can exist).
  (func (export "cm32p2|wasi:sockets/tcp@0.2|[method]tcp-socket.start-bind")
    (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32) (global.get $denied))
  (func (export "cm32p2|wasi:sockets/tcp@0.2|[method]tcp-socket.finish-bind") (param i32) (result i32)
    (global.get $denied))
  (func (export "cm32p2|wasi:sockets/tcp@0.2|[method]tcp-socket.start-connect")
    (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32) (global.get $denied))
  (func (export "cm32p2|wasi:sockets/tcp@0.2|[method]tcp-socket.finish-connect") (param i32) (result i32)
    (global.get $denied))
  (func (export "cm32p2|wasi:sockets/tcp@0.2|[method]tcp-socket.start-listen") (param i32) (result i32)
    (global.get $denied))
  (func (export "cm32p2|wasi:sockets/tcp@0.2|[method]tcp-socket.finish-listen") (param i32) (result i32)
    (global.get $denied))
  (func (export "cm32p2|wasi:sockets/tcp@0.2|[method]tcp-socket.accept") (param i32) (result i32)
    (global.get $denied))
  (func (export "cm32p2|wasi:sockets/tcp@0.2|[method]tcp-socket.local-address") (param i32) (result i32)
    (global.get $denied))
  (func (export "cm32p2|wasi:sockets/tcp@0.2|[method]tcp-socket.remote-address") (param i32) (result i32)
    (global.get $denied))
  (func (export "cm32p2|wasi:sockets/tcp@0.2|[method]tcp-socket.is-listening") (param i32) (result i32)
    (i32.const 0))
  (func (export "cm32p2|wasi:sockets/tcp@0.2|[method]tcp-socket.address-family") (param i32) (result i32)
    (i32.const 0))
  (func (export "cm32p2|wasi:sockets/tcp@0.2|[method]tcp-socket.set-listen-backlog-size") (param i32 i64)
    (result i32) (global.get $denied))
  (func (export "cm32p2|wasi:sockets/tcp@0.2|[method]tcp-socket.keep-alive-enabled") (param i32) (result i32)
    (global.get $denied))
  (func (export "cm32p2|wasi:sockets/tcp@0.2|[method]tcp-socket.set-keep-alive-enabled") (param i32 i32)
    (result i32) (global.get $denied))
  (func (export "cm32p2|wasi:sockets/tcp@0.2|[method]tcp-socket.keep-alive-idle-time") (param i32) (result i32)
    (global.get $denied))
  (func (export "cm32p2|wasi:sockets/tcp@0.2|[method]tcp-socket.set-keep-alive-idle-time") (param i32 i64)
    (result i32) (global.get $denied))
  (func (export "cm32p2|wasi:sockets/tcp@0.2|[method]tcp-socket.keep-alive-interval") (param i32) (result i32)
    (global.get $denied))
  (func (export "cm32p2|wasi:sockets/tcp@0.2|[method]tcp-socket.set-keep-alive-interval") (param i32 i64)
    (result i32) (global.get $denied))
  (func (export "cm32p2|wasi:sockets/tcp@0.2|[method]tcp-socket.keep-alive-count") (param i32) (result i32)
    (global.get $denied))
  (func (export "cm32p2|wasi:sockets/tcp@0.2|[method]tcp-socket.set-keep-alive-count") (param i32 i32)
    (result i32) (global.get $denied))
  (func (export "cm32p2|wasi:sockets/tcp@0.2|[method]tcp-socket.hop-limit") (param i32) (result i32)
    (global.get $denied))
  (func (export "cm32p2|wasi:sockets/tcp@0.2|[method]tcp-socket.set-hop-limit") (param i32 i32) (result i32)
    (global.get $denied))
  (func (export "cm32p2|wasi:sockets/tcp@0.2|[method]tcp-socket.receive-buffer-size") (param i32) (result i32)
    (global.get $denied))
  (func (export "cm32p2|wasi:sockets/tcp@0.2|[method]tcp-socket.set-receive-buffer-size") (param i32 i64)
    (result i32) (global.get $denied))
  (func (export "cm32p2|wasi:sockets/tcp@0.2|[method]tcp-socket.send-buffer-size") (param i32) (result i32)
    (global.get $denied))
  (func (export "cm32p2|wasi:sockets/tcp@0.2|[method]tcp-socket.set-send-buffer-size") (param i32 i64)
    (result i32) (global.get $denied))
  (func (export "cm32p2|wasi:sockets/tcp@0.2|[method]tcp-socket.subscribe") (param i32) (result i32)
    unreachable)
  (func (export "cm32p2|wasi:sockets/tcp@0.2|[method]tcp-socket.shutdown") (param i32 i32) (result i32)
    (global.get $denied))
  (func (export "cm32p2|wasi:sockets/tcp@0.2|tcp-socket_dtor") (param i32))

  ;; wasi:sockets/udp: methods of a udp-socket and its datagram streams (none can exist).
  (func (export "cm32p2|wasi:sockets/udp@0.2|[method]udp-socket.start-bind")
    (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32) (global.get $denied))
  (func (export "cm32p2|wasi:sockets/udp@0.2|[method]udp-socket.finish-bind") (param i32) (result i32)
    (global.get $denied))
  (func (export "cm32p2|wasi:sockets/udp@0.2|[method]udp-socket.stream")
    (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32) (global.get $denied))
  (func (export "cm32p2|wasi:sockets/udp@0.2|[method]udp-socket.local-address") (param i32) (result i32)
    (global.get $denied))
  (func (export "cm32p2|wasi:sockets/udp@0.2|[method]udp-socket.remote-address") (param i32) (result i32)
    (global.get $denied))
  (func (export "cm32p2|wasi:sockets/udp@0.2|[method]udp-socket.address-family") (param i32) (result i32)
    (i32.const 0))
  (func (export "cm32p2|wasi:sockets/udp@0.2|[method]udp-socket.unicast-hop-limit") (param i32) (result i32)
    (global.get $denied))
  (func (export "cm32p2|wasi:sockets/udp@0.2|[method]udp-socket.set-unicast-hop-limit") (param i32 i32)
    (result i32) (global.get $denied))
  (func (export "cm32p2|wasi:sockets/udp@0.2|[method]udp-socket.receive-buffer-size") (param i32) (result i32)
    (global.get $denied))
  (func (export "cm32p2|wasi:sockets/udp@0.2|[method]udp-socket.set-receive-buffer-size") (param i32 i64)
    (result i32) (global.get $denied))
  (func (export "cm32p2|wasi:sockets/udp@0.2|[method]udp-socket.send-buffer-size") (param i32) (result i32)
    (global.get $denied))
  (func (export "cm32p2|wasi:sockets/udp@0.2|[method]udp-socket.set-send-buffer-size") (param i32 i64)
    (result i32) (global.get $denied))
  (func (export "cm32p2|wasi:sockets/udp@0.2|[method]udp-socket.subscribe") (param i32) (result i32)
    unreachable)
  (func (export "cm32p2|wasi:sockets/udp@0.2|[method]incoming-datagram-stream.receive") (param i32 i64)
    (result i32) (global.get $denied))
  (func (export "cm32p2|wasi:sockets/udp@0.2|[method]incoming-datagram-stream.subscribe") (param i32)
    (result i32) unreachable)
  (func (export "cm32p2|wasi:sockets/udp@0.2|[method]outgoing-datagram-stream.check-send") (param i32)
    (result i32) (global.get $denied))
  (func (export "cm32p2|wasi:sockets/udp@0.2|[method]outgoing-datagram-stream.send") (param i32 i32 i32)
    (result i32) (global.get $denied))
  (func (export "cm32p2|wasi:sockets/udp@0.2|[method]outgoing-datagram-stream.subscribe") (param i32)
    (result i32) unreachable)
  (func (export "cm32p2|wasi:sockets/udp@0.2|udp-socket_dtor") (param i32))
  (func (export "cm32p2|wasi:sockets/udp@0.2|incoming-datagram-stream_dtor") (param i32))
  (func (export "cm32p2|wasi:sockets/udp@0.2|outgoing-datagram-stream_dtor") (param i32))

  ;; wasi:sockets/ip-name-lookup: methods of a resolve-address-stream (none can exist).
  (func (export "cm32p2|wasi:sockets/ip-name-lookup@0.2|[method]resolve-address-stream.resolve-next-address")
    (param i32) (result i32) (global.get $denied))
  (func (export "cm32p2|wasi:sockets/ip-name-lookup@0.2|[method]resolve-address-stream.subscribe") (param i32)
    (result i32) unreachable)
  (func (export "cm32p2|wasi:sockets/ip-name-lookup@0.2|resolve-address-stream_dtor") (param i32))
)
