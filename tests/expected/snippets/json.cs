using System.Net.Http.Headers;
using System.Text;

using var client = new HttpClient();
using var request = new HttpRequestMessage(new HttpMethod("POST"), "http://127.0.0.1:8080/items/1?x=1");
request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("ali ce:p@ss:w'rd$\"\\")));
request.Content = new StringContent("{\n  \"name\": \"O'Brien \\\"quoted\\\" back\\\\slash\\nnext\\tline $HOME ${x} `cmd` Zürich 😀 100%\",\n  \"nested\": {\n    \"list\": [\n      1,\n      2.5,\n      null\n    ]\n  },\n  \"price\": \"$5\"\n}");
request.Content.Headers.Remove("Content-Type");
request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");

using var response = await client.SendAsync(request);
Console.WriteLine((int)response.StatusCode);
Console.WriteLine(await response.Content.ReadAsStringAsync());
