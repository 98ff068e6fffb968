import asyncio


async def value(n, delay):
    await asyncio.sleep(delay)
    return n


async def ticker():
    for i in range(2):
        print("tick", i)
        await asyncio.sleep(0.01)


async def main():
    task = asyncio.create_task(ticker())
    print(await asyncio.gather(value(1, 0.02), value(2, 0.01)))
    await task
    print("done")


asyncio.run(main())
