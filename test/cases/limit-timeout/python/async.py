# A catch-all inside a coroutine that keeps the event loop busy.
import asyncio


async def spin():
    while True:
        try:
            await asyncio.sleep(0)
            while True:
                pass
        except BaseException:
            pass


asyncio.run(spin())
