import socket
try:
    socket.create_connection(('example.com', 80), timeout=2)
    print('REACHED')
except Exception as e:
    print('network refused:', type(e).__name__, e)
try:
    import urllib.request
    urllib.request.urlopen('http://example.com/', timeout=2)
    print('REACHED')
except Exception as e:
    print('network refused:', type(e).__name__)
