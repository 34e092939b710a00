"""The REST tutorial's Python `requests` code, as written for JSONPlaceholder.

Only BASE_URL differs from the tutorial. Run against a freshly started server:
    BASE_URL=http://127.0.0.1:3000 python3 tutorial/tutorial_requests.py
Each step asserts what the tutorial shows; the script prints one line per step and exits 0.
"""
import json
import os

import requests

base = os.environ.get("BASE_URL", "http://127.0.0.1:3000")


def step(name):
    print(f"ok - {name}")


# GET a resource
response = requests.get(f"{base}/todos/1")
assert response.json() == {"userId": 1, "id": 1, "title": "delectus aut autem", "completed": False}
assert response.status_code == 200
assert response.headers["Content-Type"] == "application/json; charset=utf-8"
step("GET /todos/1")

# POST with json=
todo = {"userId": 1, "title": "Buy milk", "completed": False}
response = requests.post(f"{base}/todos", json=todo)
assert response.status_code == 201, response.status_code
created = response.json()
assert created == {"userId": 1, "title": "Buy milk", "completed": False, "id": 201}, created
assert response.headers["Location"] == "/todos/201"
step("POST /todos with json=")

# POST with data= and an explicit header
headers = {"Content-Type": "application/json"}
response = requests.post(f"{base}/todos", data=json.dumps(todo), headers=headers)
assert response.status_code == 201
assert response.json()["id"] == 202
step("POST /todos with data=json.dumps and Content-Type")

# PUT replaces
todo = {"userId": 1, "title": "Wash car", "completed": True}
response = requests.put(f"{base}/todos/10", json=todo)
assert response.status_code == 200
assert response.json() == {"userId": 1, "title": "Wash car", "completed": True, "id": 10}
step("PUT /todos/10")

# PATCH updates part of it
response = requests.patch(f"{base}/todos/10", json={"title": "Mow lawn"})
assert response.status_code == 200
assert response.json() == {"userId": 1, "title": "Mow lawn", "completed": True, "id": 10}
step("PATCH /todos/10")

# DELETE
response = requests.delete(f"{base}/todos/10")
assert response.status_code == 200
assert response.json() == {}
assert requests.get(f"{base}/todos/10").status_code == 404
assert requests.delete(f"{base}/todos/10").status_code == 404
step("DELETE /todos/10, then 404")

# Users
response = requests.get(f"{base}/users")
users = response.json()
assert len(users) == 10 and users[0]["username"] == "Bret" and users[0]["address"]["geo"]["lat"] == "-37.3159"
response = requests.post(f"{base}/users", json={"name": "Alice"})
assert response.status_code == 201 and isinstance(response.json()["id"], int)
step("GET /users, POST /users")

# Error handling, the way the tutorial teaches it
response = requests.get(f"{base}/todos/99999")
try:
    response.raise_for_status()
    raise AssertionError("expected an HTTPError")
except requests.exceptions.HTTPError as error:
    assert error.response.status_code == 404
    assert error.response.headers["Content-Type"].startswith("application/problem+json")
    assert error.response.json()["status"] == 404
step("raise_for_status on 404")

assert requests.post(f"{base}/todos", data="{bad json", headers=headers).status_code == 400
response = requests.post(f"{base}/todos", json={"userId": "one", "title": 5, "extra": True})
assert response.status_code == 422
assert sorted(e["path"] for e in response.json()["errors"]) == ["/extra", "/title", "/userId"]
assert requests.post(f"{base}/todos", data={"userId": 1, "title": "form"}).status_code == 415
assert requests.get(f"{base}/nowhere").status_code == 404
response = requests.post(f"{base}/todos/1", json=todo)
assert response.status_code == 405 and "GET" in response.headers["Allow"]
assert requests.get(f"{base}/todos/abc").status_code == 400
step("bad input: 400, 422, 415, 404, 405, 400")

print("all tutorial steps passed")
