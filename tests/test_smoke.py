def test_health_answers(server):
    with server.client() as client:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_admin_lists_projects(admin):
    response = admin.get("/v1/projects")
    assert response.status_code == 200
    assert [p["name"] for p in response.json()] == ["Tanzania pilot"]
