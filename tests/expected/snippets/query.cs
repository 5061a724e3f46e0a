using System.Net.Http.Headers;
using System.Text;

using var client = new HttpClient();
using var request = new HttpRequestMessage(new HttpMethod("GET"), "http://127.0.0.1:8080/search?q=caf%C3%A9%20%26%20cr%C3%A8me&sign=a%2Bb=c&shell=$HOME%20%27x%27%20%22y%22");
request.Headers.TryAddWithoutValidation("X-Quote", "it's \"quoted\" \\ $HOME");
request.Headers.TryAddWithoutValidation("Authorization", "Bearer t0k$en'\"");

using var response = await client.SendAsync(request);
Console.WriteLine((int)response.StatusCode);
Console.WriteLine(await response.Content.ReadAsStringAsync());
