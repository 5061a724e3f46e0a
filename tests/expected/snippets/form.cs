using System.Net.Http.Headers;
using System.Text;

using var client = new HttpClient();
using var request = new HttpRequestMessage(new HttpMethod("PUT"), "http://127.0.0.1:8080/form");
request.Headers.TryAddWithoutValidation("X-Api-Key", "k'$y");
request.Content = new StringContent("name=O'Brien%20%22quoted%22%20back%5Cslash%0Anext%09line%20%24HOME%20%24%7Bx%7D%20%60cmd%60%20Z%C3%BCrich%20%F0%9F%98%80%20100%25&math=1%2B1%3D2%20%26%203&empty=");
request.Content.Headers.Remove("Content-Type");
request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/x-www-form-urlencoded");

using var response = await client.SendAsync(request);
Console.WriteLine((int)response.StatusCode);
Console.WriteLine(await response.Content.ReadAsStringAsync());
