# Reference solution for dual-stack.
import ipaddress
import os
import socket

HOST = os.environ.get("SOCKETLINGS_HOST", "")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))


def describe(addr):
    ip = ipaddress.ip_address(addr[0])
    # An IPv4 client of a dual-stack socket arrives as ::ffff:a.b.c.d: it is still IPv4.
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return f"ipv{ip.version} {ip} {addr[1]}"


with socket.create_server((HOST, PORT), family=socket.AF_INET6, dualstack_ipv6=True) as server:
    while True:
        conn, addr = server.accept()
        with conn, conn.makefile("rb") as f:
            line = f.readline().decode().rstrip("\n")
            if line:
                conn.sendall(f"{line} {describe(addr)}\n".encode())
